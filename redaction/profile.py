"""Value profile: what the detectors found in each column of an extract.

Computed in one streaming pass (the first pass of a release with no dataset contract)
and handed to the planner. It holds counts only.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import pyarrow as pa

from redaction.detect import as_text, count_matches, detector_patterns, is_text
from redaction.policy import Policy

#: A text column is free text when this share of its values hold two or more spaces.
FREE_TEXT_SHARE = 0.3


@dataclass
class ColumnProfile:
    """Counts for one column: values scanned, values each detector matched."""

    scanned: int = 0
    hits: dict[str, int] = field(default_factory=dict)
    #: Values with two or more blanks: prose rather than codes or identifiers.
    wordy: int = 0

    def share(self, detector: str) -> float:
        return self.hits.get(detector, 0) / self.scanned if self.scanned else 0.0

    @property
    def free_text(self) -> bool:
        return self.scanned > 0 and self.wordy / self.scanned >= FREE_TEXT_SHARE


Profile = Mapping[str, ColumnProfile]


class Profiler:
    """Accumulates a profile batch by batch (so a release can profile while it reads)."""

    def __init__(self, policy: Policy, columns: Iterable[str] | None = None):
        self._patterns = detector_patterns(policy)
        self._any = "|".join(f"(?:{p})" for p in self._patterns.values())
        self._only = set(columns) if columns is not None else None
        self.columns: dict[str, ColumnProfile] = {}
        self.rows = 0

    def add(self, batch: pa.RecordBatch) -> None:
        self.rows += batch.num_rows
        for name, arr in zip(batch.schema.names, batch.columns, strict=True):
            if not is_text(arr.type) or (self._only is not None and name not in self._only):
                continue
            prof = self.columns.setdefault(name, ColumnProfile())
            text = as_text(arr)
            prof.scanned += len(text) - text.null_count
            prof.wordy += count_matches(text, r"\S\s+\S+\s+\S")
            if count_matches(text, self._any) == 0:
                continue
            for det, pattern in self._patterns.items():
                n = count_matches(text, pattern)
                if n:
                    prof.hits[det] = prof.hits.get(det, 0) + n


def profile_batches(batches: Iterable[pa.RecordBatch], policy: Policy) -> dict[str, ColumnProfile]:
    """Profile every text column of a stream of record batches."""
    profiler = Profiler(policy)
    for batch in batches:
        profiler.add(batch)
    return profiler.columns
