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
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar, cast

from prefect import get_run_logger
from prefect.cache_policies import NO_CACHE
from prefect.client.schemas.objects import State
from prefect.runtime import flow_run
from prefect.states import Failed
from prefect.utilities.annotations import quote

from redaction.errors import PolicyError, RedactionError

#: Keyword arguments for every ``@task`` and ``@flow`` here.
NO_PERSIST: dict[str, Any] = {"persist_result": False, "cache_policy": NO_CACHE}
#: ``@flow`` takes no cache policy.
FLOW_NO_PERSIST: dict[str, Any] = {"persist_result": False}
#: Retries for the tasks that touch the ledger; only transient errors are retried.
LEDGER_RETRIES: dict[str, Any] = {"retries": 3, "retry_delay_seconds": [2, 10, 30]}

EXCEPTION_TAG = "lawful-exception:"

#: ``timeout_seconds`` of the flows: a run that hangs (a stalled mount, a ledger that
#: never answers) fails instead of holding its schedule slot forever. A deployment can
#: set its own (``flow.with_options(timeout_seconds=...)``).
RELEASE_TIMEOUT = 2 * 3600
PARTITIONED_TIMEOUT = 6 * 3600
BATCH_TIMEOUT = 12 * 3600

T = TypeVar("T")

#: The Prefect Secret block, then the Prefect Variable, a flow reads the ledger URL from
#: when it is given neither ``ledger_url`` nor ``$REDACT_LEDGER_URL``.
LEDGER_SECRET = "redact-ledger-url"
LEDGER_VARIABLE = "redact_ledger_url"


def flow_ledger_url(explicit: str | None) -> str | None:
    """The ledger a flow records in: its ``ledger_url`` parameter, else
    ``$REDACT_LEDGER_URL``, else the Secret block ``redact-ledger-url`` (a URL with a
    password belongs there), else the Variable ``redact_ledger_url``, else ``None``
    (the embedded SQLite default). The URL itself is never logged."""
    import os

    from prefect.blocks.system import Secret
    from prefect.exceptions import ObjectNotFound
    from prefect.variables import Variable

    if explicit:
        return explicit
    if os.environ.get("REDACT_LEDGER_URL"):
        return os.environ["REDACT_LEDGER_URL"]
    try:
        secret = cast("Secret[str]", Secret.load(LEDGER_SECRET))
    except (ValueError, ObjectNotFound):
        secret = None
    if secret is not None:
        return str(secret.get())
    value = Variable.get(LEDGER_VARIABLE, default=None)
    return str(value) if value else None


def as_is(value: T) -> T:
    """Hand ``value`` to a task as it is: Prefect neither searches it for futures nor
    rebuilds the dataclasses and pydantic models inside it (which would lose what the
    policy computed on load). Typed as the value itself, so a task's signature is
    checked at the call."""
    return cast(T, quote(value))


def release_run_name() -> str:
    """``flow_run_name`` of a release: what ran, ``dmv_drivers -> Example Insurance Co``
    (the dataset contract, or the source's name when there is none)."""
    params = flow_run.parameters or {}
    what = params.get("dataset") or Path(str(params.get("source", "extract"))).stem
    return f"{what} -> {params.get('recipient', '?')}"


def batch_run_name() -> str:
    """``flow_run_name`` of a batch: ``batch <manifest or folder name>``."""
    params = flow_run.parameters or {}
    return f"batch {Path(str(params.get('manifest', ''))).name}"


def refused_state(exc: RedactionError) -> State[Any]:
    """The Failed state of a run that the library refused (or whose input or validation
    failed), with the reason in its message and no traceback in the log: an expected
    outcome, logged as one line at WARNING (a policy refusal) or ERROR."""
    logger = get_run_logger()
    level = logger.warning if isinstance(exc, PolicyError) else logger.error
    level(
        "not published: %s (exit code %d, reason %s): %s",
        type(exc).__name__,
        int(exc.exit_code),
        exc.reason,
        exc.message,
    )
    return Failed(message=f"{type(exc).__name__} ({exc.reason}): {exc.message}", data=exc)


class Refused:
    """What a task returns instead of raising an expected refusal (a policy refusal,
    bad input, a failed validation): Prefect logs a traceback for every task that
    raises, and these are outcomes, not crashes. The flow re-raises it with
    :func:`unwrap` and ends Failed with one log line (:func:`refused_state`)."""

    def __init__(self, error: RedactionError):
        self.error = error

    def __repr__(self) -> str:
        return f"Refused({type(self.error).__name__}, {self.error.reason})"


def expected(step: str, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T | Refused:
    """Run one stage inside a task: an expected refusal is returned as :class:`Refused`;
    a transient error is raised, so the task's retries apply; anything else is sealed
    (:func:`sealed`)."""
    with sealed(step):
        try:
            return fn(*args, **kwargs)
        except RedactionError as exc:
            if exc.transient:
                raise
            return Refused(exc)


def unwrap(value: T | Refused) -> T:
    """A task's value, or its refusal raised (inside the flow, which reports it)."""
    if isinstance(value, Refused):
        raise value.error
    return value


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
