"""Verification: walk the chain, recompute every hash, rebuild every typed row.

A problem is reported where it is first visible, by ``seq`` and table:

- ``ledger_entries``: a missing seq, a ``prev_hash`` that does not link, a hash that does
  not match the entry's contents, a payload that is not canonical or not allowed;
- a typed table: a row missing, a row that differs from what its entry says (naming the
  columns, never the values), or a row no entry accounts for;
- a published head (:mod:`.heads`) the chain no longer holds: its tail was cut, or the
  entry at that seq has another hash.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, select

from redaction.errors import LedgerError
from redaction.ledger.chain import GENESIS, canonical_json, entry_hash
from redaction.ledger.heads import PublishedHead
from redaction.ledger.models import Base
from redaction.ledger.payloads import clean_payload
from redaction.ledger.projection import MULTI_ROW, project
from redaction.ledger.records import Problem, VerifyResult

_CHAIN = "ledger_entries"
#: Stop collecting after this many problems; the first is what matters.
MAX_PROBLEMS = 100


def _key(table: str, seq: int, row: dict[str, Any]) -> tuple[int, ...]:
    extra = MULTI_ROW.get(table)
    return (seq, row[extra]) if extra else (seq,)


def verify(
    conn: Connection, head: str | None = None, published: Sequence[PublishedHead] = ()
) -> VerifyResult:
    tables = Base.metadata.tables
    entries = tables[_CHAIN]
    problems: list[Problem] = []
    expected: dict[str, dict[tuple[int, ...], dict[str, Any]]] = {t: {} for t in tables}
    expected.pop(_CHAIN)

    prev_hash, want_seq, count, last_hash = GENESIS, 1, 0, GENESIS
    head_found = None if head is None else head == GENESIS
    wanted: dict[int, list[PublishedHead]] = {}
    for pub in published:
        wanted.setdefault(pub.seq, []).append(pub)
    result = conn.execute(select(entries).order_by(entries.c.seq)).yield_per(1000)
    for r in result:
        count += 1
        for pub in wanted.pop(r.seq, ()):
            if pub.hash != r.hash:
                problems.append(
                    Problem(r.seq, _CHAIN, f"the entry is not the published head in {pub.path}")
                )
        if head is not None and r.hash == head:
            head_found = True
        if r.seq != want_seq:
            problems.append(
                Problem(want_seq, _CHAIN, f"entry missing (next entry found is seq {r.seq})")
            )
        elif r.prev_hash != prev_hash:
            problems.append(
                Problem(r.seq, _CHAIN, f"prev_hash does not link to seq {r.seq - 1}'s hash")
            )
        try:
            payload = json.loads(r.payload)
        except ValueError:
            payload = None
        if not isinstance(payload, dict):
            problems.append(Problem(r.seq, _CHAIN, "payload is not a JSON object"))
        elif canonical_json(payload) != r.payload:
            problems.append(Problem(r.seq, _CHAIN, "payload is not in canonical form"))
        elif entry_hash(r.seq, r.kind, payload, r.prev_hash, r.created_at) != r.hash:
            problems.append(Problem(r.seq, _CHAIN, "hash does not match the entry's contents"))
        if isinstance(payload, dict):
            try:
                clean = clean_payload(r.kind, payload)
            except LedgerError as exc:
                problems.append(Problem(r.seq, _CHAIN, exc.message))
            else:
                for table, row in project(r.kind, clean):
                    expected[table][_key(table, r.seq, row)] = row
        prev_hash, last_hash, want_seq = r.hash, r.hash, r.seq + 1

    for pub in (p for pubs in wanted.values() for p in pubs):
        problems.append(
            Problem(
                pub.seq,
                _CHAIN,
                f"the published head in {pub.path} (seq {pub.seq}) is not in the chain: "
                f"it ends at seq {want_seq - 1}, so its tail was cut",
            )
        )

    for name, rows in expected.items():
        typed = tables[name]
        seen: set[tuple[int, ...]] = set()
        for actual in conn.execute(select(typed).order_by(typed.c.entry_seq)).yield_per(1000):
            got = dict(actual._mapping)
            seq = got.pop("entry_seq")
            key = _key(name, seq, got)
            seen.add(key)
            want = rows.get(key)
            if want is None:
                problems.append(Problem(seq, name, "row has no matching chain entry"))
                continue
            changed = sorted(c for c in want if want[c] != got.get(c))
            if changed:
                problems.append(
                    Problem(seq, name, f"row differs from its chain entry in {', '.join(changed)}")
                )
        for key in rows.keys() - seen:
            problems.append(Problem(key[0], name, "row missing (its chain entry records it)"))

    # Chain problems first at the same seq: they explain the typed-table ones.
    problems.sort(key=lambda p: (p.seq, p.table != _CHAIN, p.table))
    return VerifyResult(
        entries=count,
        head=last_hash,
        problems=tuple(problems[:MAX_PROBLEMS]),
        expected_head=head,
        head_found=head_found,
    )
