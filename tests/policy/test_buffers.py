"""The kernel's kept buffers (``policy/buffers.py``): reused only once no result uses them."""

from __future__ import annotations

import datetime as dt
import threading

import numpy as np
import polars as pl
import pytest

from safetynet.policy import buffers, evaluate

ON = dt.date(2022, 9, 1)
INTS = np.empty(0, np.int64)


@pytest.fixture(autouse=True)
def _empty_pool() -> None:
    buffers.release()


def _frames(n: int, income: int) -> tuple[pl.DataFrame, pl.DataFrame]:
    """``n`` one-person households of 85-year-olds (elderly allowance, home care) with
    ``income`` yuan a month (dibao when low)."""
    persons = pl.DataFrame(
        {
            "id": np.arange(n, dtype=np.int64) + 100,
            "household_id": np.arange(n, dtype=np.int64),
            "birth_date": [dt.date(1937, 1, 1)] * n,
            "monthly_income": [income] * n,
        }
    )
    households = pl.DataFrame(
        {
            "id": np.arange(n, dtype=np.int64),
            "area_code": ["320722100200"] * n,
            "hukou": ["rural"] * n,
        }
    )
    return persons, households


def test_kept_buffers_are_reused_once_idle_and_not_while_in_use() -> None:
    first = buffers.take(10, INTS, INTS)
    again = buffers.take(10, INTS, INTS)
    assert again[0] is not first[0]  # the first set is still held here
    addresses = {a.ctypes.data for a in first}
    view = first[1][3:5]
    del first
    assert buffers.take(10, INTS, INTS)[0].ctypes.data not in addresses  # a view holds it
    del view
    reused = buffers.take(10, INTS, INTS)
    assert {a.ctypes.data for a in reused} == addresses
    assert len(buffers.POOL) <= buffers.KEEP


def test_a_larger_request_or_another_dtype_gets_new_buffers() -> None:
    small = buffers.take(10, INTS)
    address = small[0].ctypes.data
    del small
    assert buffers.take(11, INTS)[0].ctypes.data != address
    assert buffers.take(5, np.empty(0, np.int32))[0].dtype == np.int32


def test_a_result_kept_by_the_caller_is_not_overwritten_by_the_next_call() -> None:
    """Results alive at the same time each keep their own rows; a later call, which may
    reuse a dropped result's buffers, still returns exact rows."""
    poor = evaluate(*_frames(500, 0), ON)
    poor_copy = poor.clone().rechunk()
    rich = evaluate(*_frames(500, 5000), ON)
    assert "dibao" in poor["program"].to_list()
    assert "dibao" not in rich["program"].to_list()
    again = evaluate(*_frames(500, 5000), ON)
    assert poor.equals(poor_copy)
    del poor, poor_copy
    assert evaluate(*_frames(500, 0), ON).equals(evaluate(*_frames(500, 0), ON))
    assert rich.equals(again)


def test_threads_taking_buffers_at_once_never_share_them() -> None:
    taken: list[int] = []
    held: list[tuple[np.ndarray, ...]] = []
    lock = threading.Lock()

    def take() -> None:
        arrays = buffers.take(100, INTS, INTS)
        with lock:
            taken.append(arrays[0].ctypes.data)
            held.append(arrays)

    threads = [threading.Thread(target=take) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(taken)) == 8
