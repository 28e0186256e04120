"""What every flow here shares: no persisted results, retries for transient errors only,
the lawful-exception tag, sealed errors, and value-free artifacts.

Prefect keeps more than a run's state: a failed state's message is the exception's
``repr`` (stored on the server), a persisted result is a cloudpickle of the return value
(``$PREFECT_HOME/storage``), and artifacts and logs are stored as given. So:

- every task and flow runs with ``persist_result=False, cache_policy=NO_CACHE``
  (:data:`NO_PERSIST`), and tasks hand on library objects that hold names, paths and
  counts, never a frame of extract data;
- a ``RedactionError`` message names files, columns, rows and counts (the library's
  rule), so it may reach Prefect; any other exception (a parser's, a driver's) may echo
  the offending text, so :func:`sealed` replaces it with its type and place;
- artifacts are built from plan decisions, counts, reason codes and hashes.
"""

from __future__ import annotations

import contextlib
import re
import traceback
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from prefect.cache_policies import NO_CACHE

from redaction.errors import PolicyError, RedactionError

#: Keyword arguments for every ``@task`` and ``@flow`` here.
NO_PERSIST: dict[str, Any] = {"persist_result": False, "cache_policy": NO_CACHE}
#: ``@flow`` takes no cache policy.
FLOW_NO_PERSIST: dict[str, Any] = {"persist_result": False}
#: Retries for the tasks that touch the ledger; only transient errors are retried.
LEDGER_RETRIES: dict[str, Any] = {"retries": 3, "retry_delay_seconds": [2, 10, 30]}

EXCEPTION_TAG = "lawful-exception:"


def transient_only(task: Any, task_run: Any, state: Any) -> bool:
    """``retry_condition_fn``: retry a ``RedactionError`` marked transient (the ledger
    unreachable), never a policy, input or validation failure, nor anything else."""
    try:
        state.result()
    except RedactionError as exc:
        return bool(exc.transient)
    except Exception:
        return False
    return False


class SealedError(RedactionError):
    """An unexpected error whose message was withheld (it may quote extract data)."""

    def __init__(self, message: str, *, reason: str = "unexpected_error"):
        super().__init__(message, reason=reason)

    def __reduce__(self) -> tuple[Any, ...]:
        return (SealedError, (self.message,), {"reason": self.reason})


@contextlib.contextmanager
def sealed(step: str) -> Iterator[None]:
    """Let ``RedactionError`` through; replace any other exception by its type and the
    line that raised it, with no message and no chained cause."""
    try:
        yield
    except RedactionError:
        raise
    except Exception as exc:
        frames = traceback.extract_tb(exc.__traceback__)
        where = (
            f" at {frames[-1].filename.rsplit('/', 1)[-1]}:{frames[-1].lineno}" if frames else ""
        )
        raise SealedError(
            f"{step}: {type(exc).__name__}{where} (message withheld: it may quote extract data)"
        ) from None


def exception_from_tags(tags: Sequence[str]) -> str | None:
    """The exception id named by ``lawful-exception:<ID>`` tags (None when there is none).

    Raises:
        PolicyError: two tags naming different exceptions, or an empty id.
    """
    ids = sorted({t[len(EXCEPTION_TAG) :].strip() for t in tags if t.startswith(EXCEPTION_TAG)})
    if any(not i for i in ids):
        raise PolicyError(
            f"a '{EXCEPTION_TAG}' tag names no exception id", reason="exception_tag_empty"
        )
    if len(ids) > 1:
        raise PolicyError(
            f"the run's tags name {len(ids)} different lawful exceptions ({', '.join(ids)})",
            reason="exception_conflict",
            hint="a release uses at most one lawful exception",
        )
    return ids[0] if ids else None


def resolve_exception(parameter: str | None, tags: Sequence[str]) -> str | None:
    """The exception for this run: the parameter and the run's (or deployment's) tag are
    the same thing; both given and different is refused.

    Raises:
        PolicyError: ``exception_conflict``.
    """
    tagged = exception_from_tags(tags)
    param = parameter.strip() if parameter else None
    if param and tagged and param != tagged:
        raise PolicyError(
            f"the exception parameter ({param}) and the run's tag ({EXCEPTION_TAG}{tagged}) "
            "name different lawful exceptions",
            reason="exception_conflict",
            hint="give the exception once, as the parameter or as the tag",
        )
    return param or tagged


def artifact_key(*parts: str) -> str:
    """A Prefect artifact key (lowercase letters, digits and dashes only)."""
    key = re.sub(r"[^a-z0-9]+", "-", "-".join(parts).lower()).strip("-")
    return key[:120] or "release"


def error_fields(exc: BaseException) -> dict[str, Any]:
    """What an artifact may say about a failure: type, exit code, reason, message."""
    if isinstance(exc, RedactionError):
        return {
            "error": type(exc).__name__,
            "exit_code": int(exc.exit_code),
            "reason": exc.reason,
            "message": exc.message,
        }
    return {
        "error": type(exc).__name__,
        "exit_code": None,
        "reason": "unexpected_error",
        "message": "(withheld)",
    }


def md_table(rows: Sequence[Mapping[str, Any]], columns: Sequence[str]) -> str:
    """A markdown table of ``rows`` (cells are names, codes and counts)."""
    if not rows:
        return "_none_\n"

    def cell(v: Any) -> str:
        return "" if v is None else str(v).replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(cell(r.get(c)) for c in columns) + " |" for r in rows]
    return "\n".join(lines) + "\n"
