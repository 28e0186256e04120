"""One root exception, structured subclasses, stable exit codes.

Every error the project raises on purpose is a :class:`RedactionError`. Its message names
files, columns, rows, rule ids and counts, never a cell's content: messages end up on
terminals, in logs, in the ledger and in Prefect artifacts.

Exit codes are part of the command-line contract (CI scripts depend on them):

====  =======================================================
0     done (released, or ``scan`` found nothing unwithheld)
1     ``scan`` found unwithheld status data
2     usage: a flag or argument is wrong
3     bad or unreadable input
4     policy, contract or exception refused the release
5     validation failed; the output was quarantined
6     ledger error (unreachable, broken chain, failed append)
7     I/O: no space left, a file size limit, a read-only or unwritable outbox,
      staging or quarantine folder; nothing was published
====  =======================================================
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    FOUND = 1
    USAGE = 2
    BAD_INPUT = 3
    REFUSED = 4
    VALIDATION_FAILED = 5
    LEDGER = 6
    IO = 7


class RedactionError(Exception):
    """Root of every deliberate error.

    Args:
        message: what went wrong, naming file / column / row, never a value.
        reason: a short stable code (``missing_file``, ``undeclared_column``...) for
            machines: tests, the ledger and Prefect artifacts key on it.
        hint: how to fix it, shown after the message.
    """

    exit_code: ExitCode = ExitCode.BAD_INPUT
    #: Transient errors may be retried by a scheduler; terminal ones never are.
    transient: bool = False

    def __init__(self, message: str, *, reason: str = "error", hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.reason = reason
        self.hint = hint

    def __str__(self) -> str:
        return self.message if not self.hint else f"{self.message}\nHint: {self.hint}"

    def __reduce__(self) -> tuple[object, ...]:
        # Errors cross process boundaries (Dask workers): rebuild them with their
        # reason, hint and extra attributes, not from ``args`` alone.
        return (_rebuild, (type(self), self.message, self.__dict__.copy()))


def _rebuild(cls: type[RedactionError], message: str, state: dict[str, object]) -> RedactionError:
    err = cls.__new__(cls)
    Exception.__init__(err, message)
    err.__dict__.update(state)
    return err


class UsageError(RedactionError):
    exit_code = ExitCode.USAGE


class InputError(RedactionError):
    """The extract cannot be read or does not match what was declared."""

    exit_code = ExitCode.BAD_INPUT


class PolicyError(RedactionError):
    """A policy, profile or dataset contract is invalid, missing or refuses the run."""

    exit_code = ExitCode.REFUSED


class ExceptionRefused(PolicyError):
    """A lawful exception does not cover this release (expired, revoked, out of scope)."""


class GuardHit(PolicyError):
    """A value detector found protected data in a column planned for release."""

    def __init__(self, message: str, *, column: str, detectors: list[str], hint: str | None = None):
        super().__init__(message, reason="guard_hit", hint=hint)
        self.column = column
        self.detectors = detectors


class ValidationFailed(RedactionError):
    exit_code = ExitCode.VALIDATION_FAILED


class LedgerError(RedactionError):
    exit_code = ExitCode.LEDGER


class LedgerUnavailable(LedgerError):
    """The ledger database could not be reached; worth a retry."""

    transient = True


class IOFailure(RedactionError):
    """Writing failed for a reason of the machine, not the input: the disk is full, a
    file size limit was reached, a folder is read-only or not writable. Nothing was
    published; the same run succeeds once the cause is fixed."""

    exit_code = ExitCode.IO


class ConfigErrors(PolicyError):
    """Several problems in one declaration file, collected and raised once."""

    def __init__(self, path: str, problems: list[str]):
        self.path = path
        self.problems = problems
        lines = "\n".join(f"  {path}: {p}" for p in problems)
        super().__init__(
            f"{path}: {len(problems)} problem(s)\n{lines}", reason="invalid_declaration"
        )
