"""Read-ahead on a second thread: order kept, memory bounded, errors and early stops."""

from __future__ import annotations

import threading
import weakref
from collections.abc import Iterator

import pytest

from redaction.io.readers import prefetch


class _Item:
    """Counts how many items exist at once (made and not yet let go)."""

    def __init__(self, n: int, live: dict[str, int], lock: threading.Lock):
        self.n = n
        with lock:
            live["now"] += 1
            live["most"] = max(live["most"], live["now"])
        weakref.finalize(self, _gone, live, lock)


def _gone(live: dict[str, int], lock: threading.Lock) -> None:
    with lock:
        live["now"] -= 1


@pytest.mark.parametrize("held", [2, 3])
def test_items_come_in_order_and_at_most_held_exist(held: int) -> None:
    live = {"now": 0, "most": 0}
    lock = threading.Lock()

    def make() -> Iterator[_Item]:
        for n in range(200):
            yield _Item(n, live, lock)

    seen = []
    for item in prefetch(make(), held=held):
        seen.append(item.n)
        del item  # the caller lets each go before asking for the next
    assert seen == list(range(200))
    assert 1 <= live["most"] <= held


def test_an_error_comes_where_its_item_would_have() -> None:
    def make() -> Iterator[int]:
        yield 1
        yield 2
        raise ValueError("row 3 unreadable")

    got = []
    with pytest.raises(ValueError, match="row 3"):
        for n in prefetch(make(), held=2):
            got.append(n)
    assert got == [1, 2]


def test_stopping_early_closes_the_producer() -> None:
    closed = threading.Event()

    def make() -> Iterator[int]:
        try:
            yield from range(1_000_000)
        finally:
            closed.set()

    for n in prefetch(make(), held=2):
        if n == 3:
            break
    assert closed.wait(5)


def test_an_empty_source_and_a_plain_iterator() -> None:
    assert list(prefetch(iter(()), held=2)) == []
    assert list(prefetch(iter([1, 2, 3]))) == [1, 2, 3]
