"""Memory settings for a step that makes and drops many large numpy arrays (the secondary suppression: 10M-cell
arrays by the hundred), so that each new array does not start on fresh pages.

By default numpy asks the kernel for 2 MB pages for every large array (madvise), and glibc gives each array past
32 MB pages of its own (mmap) and hands them back when it is freed. On a virtual machine whose host takes freed memory
back (this project's: Firecracker, free page reporting) each fresh huge page is slow to get: 16 copies of 10M-cell
arrays (stop 39's suppression._dense) took 8.5-10.7 s, 1.8 s with 4 KB pages and 0.9 s with freed memory kept as well
(docs/performance.md, stop 39). Inside `kept()` numpy asks for no huge pages and large arrays come from the heap,
where freed memory stays for the next; afterwards numpy's and glibc's usual settings are back (glibc's as its own
dynamic threshold leaves them after large arrays) and what the step held is given back (malloc_trim).
"""

from __future__ import annotations

import ctypes
from contextlib import contextmanager
from typing import Iterator

_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD, _M_MMAP_MAX = -1, -3, -4
_KEEP = {_M_MMAP_MAX: 0, _M_TRIM_THRESHOLD: 2**31 - 1}   # no arrays of their own; the heap's top kept (to 2 GB)
# afterwards: glibc's defaults for the number of mappings, and the threshold where its dynamic rule ends (32 MB,
# trimming past twice that): setting any of them switches that rule off for the process
_AFTER = {_M_MMAP_MAX: 65536, _M_MMAP_THRESHOLD: 32 << 20, _M_TRIM_THRESHOLD: 64 << 20}


def _glibc():
    try:
        libc = ctypes.CDLL(None)
        libc.gnu_get_libc_version  # noqa: B018 - present in glibc only (musl and macOS have no such mallopt)
        return libc
    except (OSError, AttributeError):
        return None


def _huge_pages(enabled: bool) -> bool | None:
    """numpy's own switch for its madvise of huge pages (NUMPY_MADVISE_HUGEPAGE at run time); returns the previous
    setting, None where this numpy has no such switch."""
    import importlib

    for name in ("numpy._core.multiarray", "numpy.core.multiarray"):   # numpy 2, numpy 1
        try:
            switch = getattr(importlib.import_module(name), "_set_madvise_hugepage", None)
        except ImportError:
            continue
        if switch is not None:
            return bool(switch(enabled))
    return None


@contextmanager
def kept() -> Iterator[bool]:
    """Small pages and freed memory kept for reuse while inside; yields whether glibc's part could be (glibc only)."""
    huge = _huge_pages(False)
    libc = _glibc()
    try:
        if libc is None:
            yield False
            return
        for option, value in _KEEP.items():
            libc.mallopt(option, value)
        try:
            yield True
        finally:
            for option, value in _AFTER.items():
                libc.mallopt(option, value)
            libc.malloc_trim(0)
    finally:
        if huge is not None:
            _huge_pages(huge)
