"""Row buffers of the compiled kernel, kept for the next call once nothing uses them.

The kernel writes its rows into three large, sparsely written buffers (households,
persons, amounts; see ``fast._kernel``), and the result frame's columns are views of them.
Fresh buffers cost a page fault for every 4 KiB page the kernel writes (~8,500 faults,
17-19 ms of CPU for 1,000,000 households on this project's 2-core machine, a fifth of the
kernel's time). A process that evaluates more than once (Dask workers over partitions, a
rules run per township, a what-if after a parameter change) reuses buffers whose pages are
already mapped, but only once no result frame refers to them any more: the views keep a
reference to their buffer, so a buffer whose reference count is back to what the pool
alone holds is idle. At most ``KEEP`` sets are kept; ``release()`` drops them.
"""

from __future__ import annotations

import sys
import threading
from typing import Any

import numba
import numpy as np
from numpy.typing import NDArray

Arrays = tuple[NDArray[Any], ...]

KEEP = 2  # per kind: a result being used while the next one is computed, and that one


@numba.njit(cache=True, nogil=True)
def _fresh(size, like):  # type: ignore[no-untyped-def]
    """A new array of ``size`` elements of the dtype of ``like``.

    Allocated by numba (plain malloc), not NumPy: NumPy advises transparent huge pages
    for arrays of 4 MiB or more, and the kernel then faults in whole 2 MiB pages of these
    large, sparsely written buffers, compacting memory first when it is fragmented
    (stalls of 50-100 ms, about one call in four, on this machine)."""
    return np.empty(size, like.dtype)


class _Pool:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        # per kind (the dtypes): (arrays, their reference counts when idle)
        self._kept: dict[tuple[np.dtype[Any], ...], list[tuple[Arrays, tuple[int, ...]]]] = {}

    def take(self, size: int, *likes: NDArray[Any]) -> Arrays:
        """Arrays of at least ``size`` elements, one of the dtype of each of ``likes``:
        kept ones nothing uses any more, else new ones (kept for later)."""
        kind = tuple(like.dtype for like in likes)
        with self._lock:
            kept = self._kept.setdefault(kind, [])
            for arrays, idle in kept:
                if len(arrays[0]) >= size and _counts(arrays) == idle:
                    return _new_references(arrays)
            fresh = tuple(_fresh(size, like[:0]) for like in likes)
            busy = [entry for entry in kept if _counts(entry[0]) != entry[1]]
            self._kept[kind] = [*busy[: KEEP - 1], (fresh, _counts(fresh))]
            return _new_references(fresh)

    def release(self) -> None:
        """Drop every kept array (their memory goes once no result uses it)."""
        with self._lock:
            self._kept = {}

    def __len__(self) -> int:
        return sum(len(kept) for kept in self._kept.values())


def _new_references(arrays: Arrays) -> Arrays:
    """A new tuple of the same arrays, made in the lock: their counts rise before another
    thread can look (a tuple returned as it is would only count once unpacked)."""
    return tuple(list(arrays))


def _counts(arrays: Arrays) -> tuple[int, ...]:
    return tuple(sys.getrefcount(array) for array in arrays)


POOL = _Pool()
take = POOL.take
release = POOL.release
