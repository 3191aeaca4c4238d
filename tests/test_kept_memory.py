"""kept_memory.kept(): inside, numpy asks for no huge pages and a freed large array's memory stays in the process for
the next one (no fresh pages per array); afterwards both are as before and the memory is given back. Run in a process of its own: malloc's settings are the whole process's."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from data_pipeline import kept_memory

PROBE = r"""
import json, os, numpy as np
from numpy._core.multiarray import _set_madvise_hugepage
from data_pipeline import kept_memory

def rss():
    return int(open("/proc/self/statm").read().split()[1]) * os.sysconf("SC_PAGE_SIZE")

def freed(size=200_000_000):
    a = np.ones(size // 8)
    held = rss()
    del a
    return held - rss()   # bytes the process gave back when the array went

out = {"before": freed(), "huge_before": _set_madvise_hugepage(True)}
with kept_memory.kept() as on:
    out["on"] = on
    out["huge_inside"] = _set_madvise_hugepage(False)   # numpy's huge pages off inside
    out["inside"] = freed()
    start = rss()
    a = np.ones(200_000_000 // 8)   # the kept memory serves the next array: no new pages
    out["grew"] = rss() - start
    del a
    held = rss()
out["trimmed"] = held - rss()   # given back on the way out
out["after"] = freed()
out["huge_after"] = _set_madvise_hugepage(True)
print(json.dumps(out))
"""


@pytest.mark.skipif(kept_memory._glibc() is None or not sys.platform.startswith("linux"), reason="glibc only")
def test_freed_arrays_stay_inside_and_go_back_after():
    out = json.loads(subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, check=True).stdout)
    mb = 1 << 20
    assert out["on"] is True
    assert (out["huge_before"], out["huge_inside"], out["huge_after"]) == (True, False, True), out
    assert out["before"] > 150 * mb, out   # glibc's default: a 200 MB array's pages go back when it is freed
    assert out["inside"] < 10 * mb and out["grew"] < 10 * mb, out    # kept, and used again
    assert out["trimmed"] > 150 * mb, out  # and given back when the step ends
    assert out["after"] > 150 * mb, out    # glibc's usual behaviour again
