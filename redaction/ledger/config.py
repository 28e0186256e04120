"""Where the ledger lives: the one documented place for its default URL.

Resolution order, first match wins:

1. an explicit URL (``--ledger URL`` on the command line, ``Ledger.open(url)``);
2. the ``REDACT_LEDGER_URL`` environment variable (read with pydantic-settings in
   ``redaction.settings``; an empty value counts as unset);
3. the embedded default: a SQLite file ``.redact/ledger.sqlite3`` under the current
   working directory.

PostgreSQL is the production store. ``postgresql://`` and ``postgres://`` URLs are
rewritten to ``postgresql+psycopg://`` (psycopg 3) so one spelling works everywhere.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from redaction.errors import UsageError
from redaction.settings import settings

#: The environment variable that selects a ledger (for example a PostgreSQL URL).
ENV_VAR = "REDACT_LEDGER_URL"
#: The embedded ledger, relative to the working directory.
DEFAULT_RELATIVE_PATH = Path(".redact") / "ledger.sqlite3"


def default_url(cwd: Path | None = None) -> str:
    """The embedded default: ``sqlite:///<cwd>/.redact/ledger.sqlite3``."""
    base = Path.cwd() if cwd is None else cwd
    return f"sqlite:///{(base / DEFAULT_RELATIVE_PATH).resolve()}"


def resolve_url(url: str | None = None) -> URL:
    """The ledger URL to use: explicit, else ``$REDACT_LEDGER_URL``, else the default.

    Raises:
        UsageError: the URL cannot be parsed or names a database the ledger does not
            support (only SQLite and PostgreSQL are).
    """
    raw = url or settings().ledger_url or default_url()
    try:
        parsed = make_url(raw)
    except ArgumentError:
        raise UsageError(
            "the ledger URL cannot be parsed",
            reason="bad_ledger_url",
            hint="use sqlite:///PATH or postgresql+psycopg://USER@HOST:PORT/DB",
        ) from None
    backend = parsed.get_backend_name()
    if backend in ("postgresql", "postgres"):
        return parsed.set(drivername="postgresql+psycopg")
    if backend == "sqlite":
        if parsed.database in (None, "", ":memory:"):
            raise UsageError(
                "the ledger must be a file: an in-memory SQLite ledger is lost at exit",
                reason="bad_ledger_url",
                hint="use sqlite:///PATH/ledger.sqlite3",
            )
        return parsed
    raise UsageError(
        f"unsupported ledger database {backend!r}",
        reason="bad_ledger_url",
        hint="use sqlite:///PATH or postgresql+psycopg://USER@HOST:PORT/DB",
    )


def display_url(url: URL) -> str:
    """The URL as it may be printed: the password is masked."""
    return url.render_as_string(hide_password=True)
