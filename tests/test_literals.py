"""Arrays built from buffers (redaction.literals) equal pyarrow's own conversion."""

from __future__ import annotations

import pyarrow as pa
import pytest

from redaction import literals


@pytest.mark.parametrize("type_", [pa.string(), pa.large_string(), pa.string_view()])
@pytest.mark.parametrize("values", [[], [""], ["a", None, "é 名", ""], [None, None], ["x"] * 9])
def test_strings_equal_pa_array(values, type_):
    built = literals.strings(values, type_)
    assert built.type == type_
    assert built.equals(pa.array(values, type_))
    built.validate(full=True)


@pytest.mark.parametrize("type_", [pa.int32(), pa.int64()])
@pytest.mark.parametrize("values", [[], [0], [3, -1, 2**31 - 1], range(10)])
def test_ints_equal_pa_array(values, type_):
    built = literals.ints(values, type_)
    assert built.equals(pa.array(list(values), type_))
    built.validate(full=True)


@pytest.mark.parametrize("values", [[], [True], [False, True, True] * 5])
def test_bools_equal_pa_array(values):
    assert literals.bools(values).equals(pa.array(values, pa.bool_()))


def test_scalars_equal_pa_scalar():
    assert literals.FALSE.equals(pa.scalar(False))
    assert literals.TRUE.equals(pa.scalar(True))
    assert literals.EMPTY.equals(pa.scalar(""))
    assert literals.NEWLINE.equals(pa.scalar("\n"))
    assert literals.int_scalar(7, pa.int32()).equals(pa.scalar(7, pa.int32()))
    assert literals.string_scalar("x", pa.large_string()).equals(pa.scalar("x", pa.large_string()))
    assert literals.row_numbers(3).equals(pa.array([0, 1, 2], pa.int64()))
