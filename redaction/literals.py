"""Arrow arrays and scalars built from Python values without pyarrow's conversion.

``pa.array(values)``, ``pa.scalar(value)`` and any compute call given a plain Python
value (``pc.fill_null(mask, False)``) run pyarrow's Python-to-Arrow conversion, which
first checks whether the value is a pandas object, and so imports pandas (about 40 MB of
resident memory) the first time it runs. A release never needs pandas: these build the
same arrays straight from their buffers. ``tests/test_release.py`` checks that a
release does not import pandas.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Sequence

import pyarrow as pa

#: ``array`` type codes of the integer types built here (native byte order, as Arrow).
_INT_CODES = {pa.int32(): "i", pa.int64(): "q"}


def _validity(values: Sequence[object]) -> pa.Buffer | None:
    """A validity bitmap (bit set: not None), or ``None`` when no value is None."""
    if all(v is not None for v in values):
        return None
    bits = bytearray((len(values) + 7) // 8)
    for i, v in enumerate(values):
        if v is not None:
            bits[i >> 3] |= 1 << (i & 7)
    return pa.py_buffer(bytes(bits))


def ints(values: Iterable[int], type: pa.DataType = pa.int64()) -> pa.Array:
    """An int32 or int64 array of ``values`` (no nulls): ``pa.array(values, type)``."""
    data = array(_INT_CODES[type], values)
    assert data.itemsize == type.bit_width // 8
    return pa.Array.from_buffers(type, len(data), [None, pa.py_buffer(data)])


def row_numbers(n: int) -> pa.Array:
    """``0 .. n-1`` as int64: ``pa.array(range(n), pa.int64())``."""
    return ints(range(n))


def bools(values: Sequence[bool]) -> pa.Array:
    """A boolean array of ``values`` (no nulls): ``pa.array(values, pa.bool_())``."""
    bits = bytearray((len(values) + 7) // 8)
    for i, v in enumerate(values):
        if v:
            bits[i >> 3] |= 1 << (i & 7)
    return pa.Array.from_buffers(pa.bool_(), len(values), [None, pa.py_buffer(bytes(bits))])


def strings(values: Sequence[str | None], type: pa.DataType = pa.string()) -> pa.Array:
    """A text array of ``values`` (None as null): ``pa.array(values, type)`` for a
    string, large string or string view ``type``."""
    data = [v.encode("utf-8") if v is not None else b"" for v in values]
    blob = b"".join(data)
    large = len(blob) >= 1 << 31
    offsets = array("q" if large else "i", [0])
    end = 0
    for d in data:
        end += len(d)
        offsets.append(end)
    base = pa.large_string() if large else pa.string()
    arr = pa.Array.from_buffers(
        base, len(data), [_validity(values), pa.py_buffer(offsets), pa.py_buffer(blob)]
    )
    return arr if arr.type == type else arr.cast(type)


def int_scalar(value: int, type: pa.DataType = pa.int64()) -> pa.Scalar:
    """``pa.scalar(value, type)`` for an int32 or int64 ``type``."""
    return ints([value], type)[0]


def string_scalar(value: str, type: pa.DataType = pa.string()) -> pa.Scalar:
    """``pa.scalar(value, type)`` for a text ``type``."""
    return strings([value], type)[0]


FALSE = bools([False])[0]
TRUE = bools([True])[0]
EMPTY = string_scalar("")
NEWLINE = string_scalar("\n")
