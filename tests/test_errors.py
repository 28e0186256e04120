import pickle

import pytest

from redaction.errors import ConfigErrors, ExitCode, GuardHit, InputError, LedgerUnavailable


@pytest.mark.parametrize(
    "err",
    [
        GuardHit("m", column="ref", detectors=["a_number"], hint="declare it"),  # keyword-only
        InputError("bad file", reason="bad_csv"),
        ConfigErrors("policy.yaml", ["a: wrong", "b: wrong"]),  # a custom __init__
        LedgerUnavailable("down", reason="unreachable"),  # transient
    ],
)
def test_errors_cross_process_boundaries_intact(err):
    # Dask ships a failed partition's error back to the flow by pickle.
    back = pickle.loads(pickle.dumps(err))
    assert type(back) is type(err)
    assert (back.reason, back.hint, back.exit_code, back.transient, str(back)) == (
        err.reason, err.hint, err.exit_code, err.transient, str(err),
    )  # fmt: skip
    assert getattr(back, "column", None) == getattr(err, "column", None)


def test_exit_codes_are_stable():
    assert [int(c) for c in ExitCode] == [0, 1, 2, 3, 4, 5, 6, 7]
