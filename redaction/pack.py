"""Where the policy pack lives: a user's own schemas folder layered on the shipped one.

The pack is ``policy.yaml`` (the Colorado profile), ``profiles/NAME.yaml`` and
``datasets/NAME.yaml``. Files are looked up by their path inside the pack, first match
wins:

1. the user's folder: ``$REDACT_SCHEMAS`` if set (it must be a directory: a mistyped
   folder fails instead of silently falling back to the shipped policy), else
   ``./schemas`` when it holds a ``policy.yaml``, ``profiles/`` or ``datasets/``;
2. the shipped pack: ``redaction/schemas`` inside an installed wheel (importlib
   resources), or, in a source checkout or editable install, the repository's
   top-level ``schemas/`` folder, so edits there take effect without reinstalling.

A user's file shadows the shipped file of the same path (``datasets/dmv_drivers.yaml``
replaces the shipped contract); a user's ``policy.yaml`` or profile that says
``extends: colorado`` layers on the shipped policy (see ``redaction.policy``).
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from redaction.errors import UsageError
from redaction.settings import settings

#: The pack's subfolders of named files.
PROFILES = "profiles"
DATASETS = "datasets"


def shipped_dir() -> Path:
    """The policy pack installed with the package (or the repository's ``schemas/``)."""
    packaged = resources.files("redaction") / "schemas"
    if packaged.is_dir():
        # A wheel installed as files on disk; zip imports are not supported.
        return Path(str(packaged))
    return Path(__file__).resolve().parent.parent / "schemas"


def user_dir() -> Path | None:
    """The user's own schemas folder, or ``None`` when there is none."""
    configured = settings().schemas
    if configured is not None:
        if not configured.is_dir():
            raise UsageError(
                f"REDACT_SCHEMAS is {configured}, which is not a directory",
                reason="bad_schemas_dir",
                hint="point it at a folder holding policy.yaml, profiles/ or datasets/",
            )
        return configured
    here = Path.cwd() / "schemas"
    if (here / "policy.yaml").is_file() or (here / PROFILES).is_dir() or (here / DATASETS).is_dir():
        return here
    return None


def layers() -> tuple[Path, ...]:
    """The folders searched, the user's first; the same folder is listed once."""
    found: dict[Path, None] = {}
    for d in (user_dir(), shipped_dir()):
        if d is not None:
            found.setdefault(d.resolve(), None)
    return tuple(found)


def candidates(relative: str) -> list[Path]:
    """Every existing file at ``relative`` in the pack, the user's first."""
    return [d / relative for d in layers() if (d / relative).is_file()]


def find(relative: str) -> Path:
    """The file at ``relative`` (first layer that has it), else the shipped path, which
    the caller reports as not found."""
    found = candidates(relative)
    return found[0] if found else shipped_dir() / relative


def names(folder: str) -> list[str]:
    """The names of the ``folder/*.yaml`` files in every layer, sorted."""
    return sorted({p.stem for d in layers() for p in (d / folder).glob("*.yaml")})
