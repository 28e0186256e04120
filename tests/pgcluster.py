"""A throwaway PostgreSQL cluster for the test session, shared by every conftest.

``REDACT_TEST_PG_URL`` (a server URL, any database) is used when set. Otherwise the
first fixture that asks starts a cluster: ``initdb -A trust --no-sync`` into a temp dir
and ``pg_ctl start`` on a free port, as user ``postgres`` (initdb refuses root), with
fsync off. The last fixture to release it stops it and removes the directory.

If PostgreSQL cannot be had: with ``CI=true`` the tests fail loudly (a CI run never
skips the production store); elsewhere they skip with the reason.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

#: Read at import (conftest load): the harness's autouse fixture clears ``REDACT_*``
#: variables before fixtures requested dynamically run.
_ENV_URL = os.environ.get("REDACT_TEST_PG_URL")
_IN_CI = os.environ.get("CI", "").lower() == "true"

_state: dict[str, object] = {"refs": 0, "url": None, "dir": None, "error": None, "external": False}


def _bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if found:
        return found[-1]
    path = shutil.which(name)
    if path is None:
        raise RuntimeError(f"{name} not found under /usr/lib/postgresql/*/bin or on PATH")
    return path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _as_postgres(args: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args


def _start() -> str:
    root = Path(tempfile.mkdtemp(prefix="redact-pg-"))
    _state["dir"] = root
    data = root / "data"
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    subprocess.run(
        _as_postgres(
            [_bin("initdb"), "-D", str(data), "-A", "trust", "--no-sync", "-U", "postgres"]
        ),
        check=True,
        capture_output=True,
        timeout=60,
    )
    port = _free_port()
    opts = f"-p {port} -c fsync=off -c listen_addresses=127.0.0.1 -k {root} -c max_connections=200"
    subprocess.run(
        _as_postgres(
            [
                _bin("pg_ctl"),
                "-D",
                str(data),
                "-w",
                "-t",
                "30",
                "-l",
                str(root / "log"),
                "-o",
                opts,
                "start",
            ]
        ),
        check=True,
        capture_output=True,
        timeout=60,
    )
    return f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"


def _stop() -> None:
    root = _state.get("dir")
    if isinstance(root, Path):
        subprocess.run(
            _as_postgres(
                [_bin("pg_ctl"), "-D", str(root / "data"), "-m", "immediate", "-w", "stop"]
            ),
            capture_output=True,
            timeout=60,
        )
        shutil.rmtree(root, ignore_errors=True)
    _state.update(url=None, dir=None)


def acquire() -> str:
    """A server URL (database ``postgres``); fails in CI, skips elsewhere, if none."""
    if _state["url"] is None and _state["error"] is None:
        try:
            _state["external"] = bool(_ENV_URL)
            _state["url"] = _ENV_URL or _start()
            with create_engine(str(_state["url"])).connect() as conn:
                conn.execute(text("SELECT 1"))
        except Exception as exc:  # any failure: report it once, below
            detail = getattr(exc, "stderr", b"") or b""
            _state["error"] = (
                f"{type(exc).__name__}: {exc} {detail.decode(errors='replace')[-500:]}"
            )
            _stop()
    if _state["error"] is not None:
        reason = f"PostgreSQL could not be started: {_state['error']}"
        if _IN_CI or os.environ.get("CI", "").lower() == "true":
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    _state["refs"] = int(_state["refs"]) + 1  # type: ignore[call-overload]
    return str(_state["url"])


def release() -> None:
    _state["refs"] = int(_state["refs"]) - 1  # type: ignore[call-overload]
    if _state["refs"] == 0 and not _state["external"]:
        _stop()


def fresh_database(server_url: str, template: str | None = None) -> str:
    """Create a database on the server (empty, or a copy of ``template``'s URL)."""
    name = "t_" + uuid.uuid4().hex[:12]
    clause = f' TEMPLATE "{make_url(template).database}"' if template else ""
    engine = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"{clause}'))
    engine.dispose()
    return make_url(server_url).set(database=name).render_as_string(hide_password=False)


def drop_database(server_url: str, url: str) -> None:
    stale = _engines.pop(url, None)
    if stale is not None:
        stale.dispose()
    name = make_url(url).database
    engine = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()


def reset_ledger_database(url: str) -> None:
    """Empty every ledger table (much faster than a new database per test).

    The ledger's triggers refuse TRUNCATE; a superuser session in ``replica`` role
    does not fire them.
    """
    from redaction.ledger.models import TABLES

    engine = _engines.get(url)
    if engine is None:
        # pre-ping: a test may have restarted the server under a pooled connection
        engine = _engines[url] = create_engine(url, pool_pre_ping=True)
    with engine.begin() as conn:
        conn.exec_driver_sql("SET LOCAL session_replication_role = replica")
        conn.exec_driver_sql("TRUNCATE " + ", ".join(TABLES))


_engines: dict[str, Engine] = {}


def _pg_ctl(*args: str) -> None:
    root = _state.get("dir")
    if not isinstance(root, Path):
        raise RuntimeError("no throwaway cluster to stop (an external REDACT_TEST_PG_URL)")
    cmd = [_bin("pg_ctl"), "-D", str(root / "data"), "-w", "-t", "30", "-l", str(root / "log")]
    # the log keeps the server off pg_ctl's pipes (else capturing waits for the server)
    subprocess.run(
        _as_postgres([*cmd, *args]), check=True, capture_output=True, timeout=60, cwd=root
    )


def stop_server() -> None:
    """Stop the throwaway cluster at once (``immediate``: connections are cut)."""
    _pg_ctl("-m", "immediate", "stop")


def start_server_again() -> None:
    """Start a stopped throwaway cluster on its port (``restart`` reuses its options);
    the pooled connections of the old server are dropped."""
    _pg_ctl("restart")
    for engine in _engines.values():
        engine.dispose()


def owns_server() -> bool:
    return isinstance(_state.get("dir"), Path) and not _state["external"]
