"""Usage mistakes exit 2 with click's own message (README: exit codes)."""

from __future__ import annotations

import pytest

from tests.helpers import redact


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        # a mistyped option of a real command
        (["release", "x.csv", "--recipeint", "A", "--out", "o"], "No such option"),
        # a required option left out
        (["release", "x.csv", "--out", "o"], "Missing option"),
        # a mistyped command
        (["relase"], "No such command"),
        # a mistyped subcommand of a group
        (["ledger", "verfy"], "No such command"),
        # a value outside a closed choice
        (["scan", "x.csv", "--format", "xml"], "Invalid value"),
    ],
)
def test_usage_mistakes_exit_2_with_clicks_message(args: list[str], expected: str) -> None:
    run = redact(*args)
    assert run.code == 2, run.err
    assert expected in run.err
    assert "internal error" not in run.err


def test_bare_redact_shows_help_and_exits_2() -> None:
    run = redact()
    assert run.code == 2
    assert "Usage" in run.out + run.err
    assert "internal error" not in run.err
