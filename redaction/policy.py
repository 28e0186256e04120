"""Policy profiles and dataset contracts: frozen, strict models loaded from YAML.

The policy (``schemas/policy.yaml``, or a profile under ``schemas/profiles/``) declares
the protected categories and how to recognise them; a dataset contract
(``schemas/datasets/NAME.yaml``) declares the columns of one known extract. Both are
validated strictly: unknown and missing keys are errors, and every problem in a file is
reported at once, each with the file and the key path.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cached_property
from pathlib import Path
from typing import Any, Literal, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from redaction import pack
from redaction.errors import ConfigErrors, PolicyError, UsageError
from redaction.types import ColumnType

WithholdAction = Literal["drop", "null", "scrub", "generalize"]
RELEASABLE = "releasable"
_M = TypeVar("_M", bound=BaseModel)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Detector(_Strict):
    """A value detector: a regular expression (RE2 syntax) or a list of code values."""

    id: str
    description: str
    kind: Literal["regex", "codes"]
    pattern: str | None = None
    values: tuple[str, ...] = ()
    #: ``strong``: specific enough that one hit in a released column fails the run.
    #: ``weak``: classifies a column only when ``min_share`` of its values match.
    strength: Literal["strong", "weak"]
    min_share: float = Field(ge=0.0, le=1.0)
    #: The identifier's shape whatever its prefix (``[A-Z]`` + 8 or 9 digits for an
    #: A-number): where a column holds the shape mostly with other prefixes, the
    #: detector's few hits are chance matches in ordinary IDs (see ``redaction.plan``).
    shape: str | None = None

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, v: str | None) -> str | None:
        if v is not None:
            try:
                re.compile(v)
            except re.error as exc:
                raise ValueError(f"not a valid regular expression ({exc})") from None
        return v


class NameRule(_Strict):
    pattern: str
    #: Overrides the category's action for columns this rule matches.
    action: WithholdAction | None = None
    #: Context that lowers the match: a name matching one of these is not read by this
    #: rule (``tps`` in ``emis_tps_volts`` is a throttle-position sensor).
    unless: tuple[str, ...] = ()

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, v: str) -> str:
        try:
            re.compile(v)
        except re.error as exc:
            raise ValueError(f"not a valid regular expression ({exc})") from None
        return v


class Generalize(_Strict):
    """Sensitive code values and the neutral code they become.

    Values match after normalisation (upper case, separators and spaces removed), so
    ``sb-251``, ``SB 251`` and ``SB251`` are one value.
    """

    values: tuple[str, ...] = Field(min_length=1)
    to: str
    #: The neutral values released as they are (an allowlist). Every other value, the
    #: listed sensitive ones and any value never seen before, becomes ``to``: nothing
    #: outside the allowlist passes, and holders read as holders of ``to``. Without an
    #: allowlist (here or in the contract's ``allowed_values``) the column is nulled.
    keep: tuple[str, ...] = ()


class Category(_Strict):
    id: str
    title: str
    #: One line: the legal basis for withholding this category.
    basis: str
    action: WithholdAction
    names: tuple[NameRule, ...] = ()
    not_names: tuple[str, ...] = ()
    detectors: tuple[str, ...] = ()
    generalize: Generalize | None = None
    #: Values that show a column matched by name holds something else (a vehicle's
    #: ``TITLE``/``MSO`` under ``document_type``): a column whose every value, in every
    #: row, is on this allowlist is released, and said so. Any other value withholds it.
    benign_values: tuple[str, ...] = ()

    @field_validator("names", mode="before")
    @classmethod
    def _plain_patterns(cls, v: Any) -> Any:
        if isinstance(v, list):
            return [{"pattern": x} if isinstance(x, str) else x for x in v]
        return v


class Sentinel(_Strict):
    """The second line: what the gate, ``scan`` and the residual check refuse in any
    released value, by a method of its own (substring stems over the text, identifier
    shapes, whole-value status codes), so that one miss of the detectors, which match
    whole words and phrases, is not a leak."""

    #: Identifier shapes (RE2), matched anywhere in a value.
    shapes: tuple[str, ...] = ()
    #: Status stems (RE2 fragments): matched anywhere in a value, case and accents
    #: ignored, a blank also matching a hyphen, an underscore or nothing.
    stems: tuple[str, ...] = ()
    #: Whole values that state a status (``1-CITIZEN``, ``LPR``), matched ignoring case,
    #: separators and a leading numeric code.
    values: tuple[str, ...] = ()
    #: Identifier shapes a free-text note may not hold at all, cue or no cue (a bare
    #: nine-digit number, an A-number read with O for 0): a scrubbed note still holding
    #: one is withheld whole. Not run over other columns, where such numbers are ids.
    note_shapes: tuple[str, ...] = ()


class Names(_Strict):
    """What the planner knows of column names beyond the categories' own rules."""

    #: Tokens of a column name that say what an ordinary column holds (``driver``,
    #: ``plate``, ``phone``). A column whose name has none of them is *opaque*
    #: (``field_07``, ``attr3``): if its values are identifier-shaped, it is withheld.
    known: tuple[str, ...] = ()
    #: Values of a yes/no flag (upper case). An opaque column holding only these is
    #: withheld: nothing says what the flag marks.
    flag_values: tuple[str, ...] = ()
    #: Values that mark a column of countries (``USA``, ``MEXICO``). An opaque column
    #: holding one is withheld: a country whose role the name does not say may be a
    #: person's birth or citizenship.
    country_values: tuple[str, ...] = ()
    #: Short codes agencies use for a status (``CZ``, ``LPR``, ``NC``): an opaque column
    #: of a few short codes of which two or more are these is withheld (``1/2/3`` or
    #: ``A/B/C`` alone say nothing, so single characters are not listed).
    status_codes: tuple[str, ...] = ()
    #: Ordinary code lists (licence classes, sex, eye colours...): an opaque column of
    #: a few short letter codes is released only when one of these holds all of them.
    ordinary_codes: tuple[tuple[str, ...], ...] = ()


class ExceptionRules(_Strict):
    """A profile's limits on lawful exceptions, beyond the register's own checks."""

    #: Recipients whose primary mission is immigration enforcement (matched ignoring
    #: case and spacing, as a whole word anywhere in the recipient's name).
    immigration_agencies: tuple[str, ...] = ()
    #: The only bases on which such a recipient may receive anything.
    immigration_agency_bases: tuple[str, ...] = ()
    #: Days within which the person a written request is about must be told of it
    #: (New York, VTL 201: three days; the request register dates each notice by it).
    notice_days: int = Field(3, ge=0, le=365)
    note: str | None = None


class Policy(_Strict):
    profile: str
    title: str
    version: int
    basis: str
    marker: str
    abbreviations: dict[str, str] = Field(default_factory=dict)
    detectors: tuple[Detector, ...]
    mentions: tuple[str, ...]
    categories: tuple[Category, ...] = Field(min_length=1)
    exceptions: ExceptionRules = ExceptionRules()
    sentinel: Sentinel = Sentinel()
    names: Names = Names()
    #: Ordinary words one slip away from a mention's word: never read as a misspelling.
    not_slips: tuple[str, ...] = ()
    #: Phrases that use a status word in an ordinary sense (``LPR camera``, ``Visa
    #: debit``): blanked out of a text before mentions and the second line are matched.
    not_mentions: tuple[str, ...] = ()
    #: Words that complete a status mention when they follow it (``visa`` after
    #: ``overstayed``, ``card`` after ``I-766``): the scrub removes them with it.
    mention_tails: tuple[str, ...] = ()
    #: The profile this one was layered on, if any (set by the loader).
    extends: str | None = None

    def category(self, category_id: str) -> Category:
        for c in self.categories:
            if c.id == category_id:
                return c
        raise KeyError(category_id)

    def detector(self, detector_id: str) -> Detector:
        for d in self.detectors:
            if d.id == detector_id:
                return d
        raise KeyError(detector_id)

    @cached_property
    def detector_category(self) -> dict[str, str]:
        """Which category each detector belongs to (the first that lists it)."""
        out: dict[str, str] = {}
        for c in self.categories:
            for d in c.detectors:
                out.setdefault(d, c.id)
        return out

    @property
    def category_ids(self) -> tuple[str, ...]:
        return tuple(c.id for c in self.categories)


class CsvOptions(_Strict):
    delimiter: str = Field(default=",", min_length=1, max_length=1)
    encoding: str = "utf-8"
    quote_char: str = Field(default='"', min_length=1, max_length=1)


class ContractColumn(_Strict):
    name: str
    type: ColumnType
    #: ``releasable``, or the id of a protected category in the policy.
    category: str
    nullable: bool = True
    allowed_values: tuple[str, ...] | None = None
    #: Per-column mapping for ``generalize``, overriding the category's default.
    generalize: Generalize | None = None
    #: Release a ``releasable`` column even though its name reads as a protected category
    #: (a reviewed look-alike, e.g. ``visa_card_last4`` in a payments file).
    confirm_releasable: bool = False
    description: str | None = None


class Contract(_Strict):
    dataset: str
    title: str
    description: str | None = None
    key: tuple[str, ...] = ()
    csv: CsvOptions = CsvOptions()
    columns: tuple[ContractColumn, ...] = Field(min_length=1)

    def column(self, name: str) -> ContractColumn | None:
        for c in self.columns:
            if c.name == name:
                return c
        return None


# --------------------------------------------------------------------------- loading


def _loc(parts: Iterable[Any]) -> str:
    out = ""
    for p in parts:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out or "(top level)"


def _read_yaml(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PolicyError(f"{path}: file not found", reason="missing_declaration") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise PolicyError(f"{path}: cannot be read ({type(exc).__name__})") from None
    try:
        return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise ConfigErrors(str(path), [f"not valid YAML{where}"]) from None


def _validate(model: type[_M], data: Any, path: Path) -> _M:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems = [f"{_loc(e['loc'])}: {e['msg']}" for e in exc.errors()]
        raise ConfigErrors(str(path), problems) from None


def _policy_problems(policy: Policy) -> list[str]:
    problems: list[str] = []
    seen: set[str] = set()
    for i, d in enumerate(policy.detectors):
        if d.id in seen:
            problems.append(f"detectors[{i}].id: duplicate id '{d.id}'")
        seen.add(d.id)
        if d.kind == "regex" and not d.pattern:
            problems.append(f"detectors[{i}].pattern: required for kind 'regex'")
        if d.kind == "codes" and not d.values:
            problems.append(f"detectors[{i}].values: required for kind 'codes'")
    cats: set[str] = set()
    for i, c in enumerate(policy.categories):
        if c.id in cats:
            problems.append(f"categories[{i}].id: duplicate id '{c.id}'")
        if c.id == RELEASABLE:
            problems.append(f"categories[{i}].id: '{RELEASABLE}' is reserved")
        cats.add(c.id)
        for j, det in enumerate(c.detectors):
            if det not in seen:
                problems.append(
                    f"categories[{i}].detectors[{j}]: unknown detector '{det}' "
                    f"(known: {', '.join(sorted(seen))})"
                )
        if c.action == "generalize" and c.generalize is None:
            problems.append(f"categories[{i}].generalize: required when action is 'generalize'")
        for j, pat in enumerate(c.not_names):
            try:
                re.compile(pat)
            except re.error:
                problems.append(f"categories[{i}].not_names[{j}]: not a valid regular expression")
    for key in ("mentions", "not_mentions"):
        for i, m in enumerate(getattr(policy, key)):
            try:
                re.compile(m)
            except re.error:
                problems.append(f"{key}[{i}]: not a valid regular expression")
    return problems


def policy_path(profile: str | None = None, *, extending: Path | None = None) -> Path:
    """The file of a named profile (``colorado`` is ``policy.yaml``), the user's schemas
    folder first, then the shipped pack. ``extending`` is the file that names the
    profile in its ``extends``: a file never extends itself, so a user's ``policy.yaml``
    that says ``extends: colorado`` layers on the shipped one."""
    if profile in (None, "", "colorado", "default"):
        relative = "policy.yaml"
    else:
        assert profile is not None
        from redaction.io.names import check_id

        check_id(profile, "profile (--profile)")  # a name, never a path (like --dataset)
        relative = f"{pack.PROFILES}/{profile}.yaml"
    found = [
        p
        for p in pack.candidates(relative)
        if extending is None or p.resolve() != extending.resolve()
    ]
    if found:
        return found[0]
    if relative == "policy.yaml":
        return pack.shipped_dir() / relative  # reported as not found by the loader
    known = ["colorado", *pack.names(pack.PROFILES)]
    raise UsageError(
        f"unknown profile '{profile}'",
        reason="unknown_profile",
        hint=f"known profiles: {', '.join(known)}",
    )


def _raw_reference_problems(data: Any) -> list[str]:
    """Cross-references checked on the raw document, so they are reported together with
    shape errors instead of one run later."""
    if not isinstance(data, dict):
        return []
    dets = data.get("detectors") or []
    known = {d.get("id") for d in dets if isinstance(d, dict)}
    problems = []
    for i, c in enumerate(data.get("categories") or []):
        if not isinstance(c, dict):
            continue
        for j, det in enumerate(c.get("detectors") or []):
            if det not in known:
                problems.append(
                    f"categories[{i}].detectors[{j}]: unknown detector '{det}' "
                    f"(known: {', '.join(sorted(str(k) for k in known))})"
                )
    return problems


_MERGED_BY_ID = ("categories", "detectors")


def _layer(base: dict[str, Any], child: dict[str, Any]) -> dict[str, Any]:
    """A profile layered on another: scalar keys replace, ``abbreviations`` merge,
    ``mentions`` add, ``categories`` and ``detectors`` merge by id (a child entry
    replaces the base's entry of the same id, new ids are appended), and
    ``remove_categories`` drops base categories by id."""
    out = dict(base)
    for key, value in child.items():
        if key in ("extends", "remove_categories"):
            continue
        if key == "abbreviations" and isinstance(value, dict):
            out[key] = {**(base.get(key) or {}), **value}
        elif key in ("mentions", "not_slips", "not_mentions") and isinstance(value, list):
            out[key] = [*(base.get(key) or []), *value]
        elif key in _MERGED_BY_ID and isinstance(value, list):
            merged = {e.get("id"): e for e in base.get(key) or [] if isinstance(e, dict)}
            for entry in value:
                if isinstance(entry, dict):
                    merged[entry.get("id")] = entry
            out[key] = list(merged.values())
        else:
            out[key] = value
    drop = set(child.get("remove_categories") or [])
    if drop:
        out["categories"] = [c for c in out.get("categories") or [] if c.get("id") not in drop]
    return out


def _resolved(path: Path, seen: tuple[Path, ...] = ()) -> Any:
    data = _read_yaml(path)
    if not isinstance(data, dict) or not data.get("extends"):
        return data
    if path in seen:
        raise ConfigErrors(str(path), ["extends: profiles extend each other in a loop"])
    parent = str(data["extends"])
    parent_path = (
        (path.parent / parent) if parent.endswith(".yaml") else policy_path(parent, extending=path)
    )
    merged = _layer(_resolved(parent_path, (*seen, path)), data)
    merged["extends"] = parent
    return merged


def load_policy(path: Path | None = None, *, profile: str | None = None) -> Policy:
    """Load and check a policy profile (layered on the profile it ``extends``, if any);
    raises ``ConfigErrors`` listing every problem."""
    path = path or policy_path(profile)
    data = _resolved(path)
    try:
        policy = _validate(Policy, data, path)
    except ConfigErrors as exc:
        raise ConfigErrors(str(path), exc.problems + _raw_reference_problems(data)) from None
    problems = _policy_problems(policy)
    if problems:
        raise ConfigErrors(str(path), problems)
    return policy


def protected_categories() -> frozenset[str]:
    """The id of every category the pack declares: the default profile's and those of
    every profile under ``profiles/`` (the user's schemas folder and the shipped pack).

    Requests and exceptions name categories from this set, so a category a profile adds
    can be requested and granted like the default profile's.

    Raises:
        ConfigErrors: a profile in the pack does not load.
    """
    ids: set[str] = set()
    for profile in (None, *pack.names(pack.PROFILES)):
        ids.update(c.id for c in load_policy(profile=profile).categories)
    return frozenset(ids)


def contract_path(dataset: str) -> Path:
    """The contract of a named dataset: the user's schemas folder first, then the pack."""
    return pack.find(f"{pack.DATASETS}/{dataset}.yaml")


def known_datasets() -> list[str]:
    return pack.names(pack.DATASETS)


def load_contract(dataset: str | Path, policy: Policy) -> Contract:
    """Load a dataset contract by name (or path) and check it against the policy."""
    if isinstance(dataset, Path):
        path = dataset
    else:
        if not re.fullmatch(r"[A-Za-z0-9_.-]+", dataset):
            raise UsageError(f"'{dataset}' is not a dataset name", reason="bad_dataset_name")
        path = contract_path(dataset)
        if not path.is_file():
            raise PolicyError(
                f"unknown dataset '{dataset}': no contract at {path}",
                reason="unknown_dataset",
                hint=f"known datasets: {', '.join(known_datasets()) or '(none)'}",
            )
    contract = _validate(Contract, _read_yaml(path), path)
    problems: list[str] = []
    names: set[str] = set()
    valid = {RELEASABLE, *policy.category_ids}
    for i, col in enumerate(contract.columns):
        if col.name in names:
            problems.append(f"columns[{i}].name: duplicate column '{col.name}'")
        names.add(col.name)
        if col.category not in valid:
            problems.append(
                f"columns[{i}].category: '{col.category}' is not '{RELEASABLE}' or a "
                f"category of profile '{policy.profile}'"
            )
    for k in contract.key:
        if k not in names:
            problems.append(f"key: '{k}' is not a declared column")
    if problems:
        raise ConfigErrors(str(path), problems)
    return contract
