"""Move an output that failed validation out of reach, with a report of why.

The quarantine folder is never the outbox: a quarantined file is kept for the data
engineer to inspect, not for a recipient to pick up. The report beside it holds the
outcome's names and counts, never a cell value.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import uuid
from datetime import UTC, datetime
from pathlib import Path

from redaction.errors import UsageError
from redaction.validation.outcome import ValidationOutcome

REPORT_SUFFIX = ".validation.json"


def quarantine(staged: Path, quarantine_dir: Path, outcome: ValidationOutcome) -> Path:
    """Move ``staged`` into ``quarantine_dir`` and write ``<name>.validation.json`` beside it.

    An earlier quarantined file of the same name is kept: the new one gets a unique
    suffix. The report is written first, so a quarantined file always has one.

    Returns:
        The file's new path.

    Raises:
        UsageError: ``staged`` does not exist, or already lies in ``quarantine_dir``.
    """
    staged = Path(staged)
    quarantine_dir = Path(quarantine_dir)
    if not staged.is_file():
        raise UsageError(f"{staged.name}: no staged file to quarantine", reason="missing_file")
    quarantine_dir.mkdir(parents=True, exist_ok=True)
    if staged.resolve().parent == quarantine_dir.resolve():
        raise UsageError(f"{staged.name} is already in quarantine", reason="already_quarantined")

    target = quarantine_dir / staged.name
    if target.exists() or _report_path(target).exists():
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        target = quarantine_dir / f"{staged.stem}.{stamp}-{uuid.uuid4().hex[:6]}{staged.suffix}"

    report = {
        "file": target.name,
        "staged_as": staged.name,
        "quarantined_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "reason": "validation_failed" if not outcome.success else "quarantined",
        "outcome": outcome.to_dict(),
    }
    _write_atomic(_report_path(target), json.dumps(report, indent=2, sort_keys=True) + "\n")
    shutil.move(str(staged), str(target))
    return target


def _report_path(target: Path) -> Path:
    return target.with_name(target.name + REPORT_SUFFIX)


def _write_atomic(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
