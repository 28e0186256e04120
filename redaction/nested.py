"""Nested data: struct and list columns addressed by leaf paths. Pure.

A leaf path is dotted for struct fields and takes ``[]`` for list elements:
``status.visa.admission_no``, ``documents[].kind``, ``comments[].body``. The planner makes
one decision per leaf; ``rebuild`` applies them, rebuilding the struct and list arrays so
the rest of each record and the schema stay as they were (a withheld leaf becomes typed
nulls inside its struct or list).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pyarrow as pa
import pyarrow.compute as pc

from redaction.literals import int_scalar, row_numbers


def is_nested(t: pa.DataType) -> bool:
    return bool(
        pa.types.is_struct(t)
        or pa.types.is_list(t)
        or pa.types.is_large_list(t)
        or pa.types.is_fixed_size_list(t)
    )


def leaf_paths(name: str, t: pa.DataType) -> Iterator[tuple[str, pa.DataType]]:
    """Every leaf under a column: ``(path, type)``, depth first in schema order."""
    if pa.types.is_struct(t):
        for i in range(t.num_fields):
            f = t.field(i)
            yield from leaf_paths(f"{name}.{f.name}", f.type)
    elif pa.types.is_list(t) or pa.types.is_large_list(t) or pa.types.is_fixed_size_list(t):
        yield from leaf_paths(f"{name}[]", t.value_type)
    else:
        yield name, t


def _values(arr: pa.Array) -> pa.Array:
    """A list array's element values, within its slice."""
    return arr.flatten()


def leaf_arrays(name: str, arr: pa.Array | pa.ChunkedArray) -> Iterator[tuple[str, pa.Array]]:
    """Every leaf's values under a column, flattened (for detection: counts, not rows)."""
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    t = arr.type
    if pa.types.is_struct(t):
        for i in range(t.num_fields):
            yield from leaf_arrays(f"{name}.{t.field(i).name}", arr.field(i))
    elif pa.types.is_list(t) or pa.types.is_large_list(t) or pa.types.is_fixed_size_list(t):
        yield from leaf_arrays(f"{name}[]", _values(arr))
    else:
        yield name, arr


def leaf_rows(name: str, arr: pa.Array) -> Iterator[tuple[str, pa.Array, pa.Array]]:
    """Every leaf's values with, for each value, the zero-based row of ``arr`` it is in."""
    rows = row_numbers(len(arr))
    yield from _leaf_rows(name, arr, rows)


def _leaf_rows(
    name: str, arr: pa.Array, rows: pa.Array
) -> Iterator[tuple[str, pa.Array, pa.Array]]:
    t = arr.type
    if pa.types.is_struct(t):
        for i in range(t.num_fields):
            yield from _leaf_rows(f"{name}.{t.field(i).name}", arr.field(i), rows)
    elif pa.types.is_list(t) or pa.types.is_large_list(t) or pa.types.is_fixed_size_list(t):
        parents = pc.list_parent_indices(arr)
        yield from _leaf_rows(f"{name}[]", _values(arr), rows.take(parents))
    else:
        yield name, arr, rows


LeafFn = Callable[[str, pa.Array], pa.Array]


def rebuild(name: str, arr: pa.Array, fn: LeafFn) -> pa.Array:
    """``arr`` with each leaf replaced by ``fn(path, leaf values)`` (same length and
    type); structure, nulls and every untouched leaf are kept as they were."""
    t = arr.type
    if pa.types.is_struct(t):
        children = [
            rebuild(f"{name}.{t.field(i).name}", arr.field(i), fn) for i in range(t.num_fields)
        ]
        mask = arr.is_null() if arr.null_count else None
        return pa.StructArray.from_arrays(
            children, fields=[t.field(i) for i in range(t.num_fields)], mask=mask
        )
    if pa.types.is_list(t) or pa.types.is_large_list(t):
        offsets = arr.offsets
        start, end = offsets[0].as_py(), offsets[-1].as_py()
        # Every value the offsets span (null lists may span some), so offsets stay valid.
        values = rebuild(f"{name}[]", arr.values.slice(start, end - start), fn)
        if start:
            offsets = pc.subtract(offsets, int_scalar(start, offsets.type))
        mask = arr.is_null() if arr.null_count else None
        cls = pa.ListArray if pa.types.is_list(t) else pa.LargeListArray
        return cls.from_arrays(offsets, values, type=t, mask=mask)
    if pa.types.is_fixed_size_list(t):
        size = t.list_size
        values = rebuild(f"{name}[]", arr.values.slice(arr.offset * size, len(arr) * size), fn)
        mask = arr.is_null() if arr.null_count else None
        return pa.FixedSizeListArray.from_arrays(values, type=t, mask=mask)
    return fn(name, arr)
