"""Memory and CPU of a process and its descendants, from /proc (psutil is not a dependency): bench/load.py's
server figures. Linux only."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path



def process_tree(pid: int, skip: int | None = None) -> list[int]:
    """pid and all its descendants, from /proc/*/stat (field 4 is the parent's pid), without skip's subtree."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(parent, []).append(int(entry.name))
    tree, todo = [], [pid]
    while todo:
        p = todo.pop()
        if p == skip:
            continue
        tree.append(p)
        todo.extend(children.get(p, []))
    return tree


def tree_usage(pid: int, skip: int | None = None) -> tuple[int, float]:
    """(RSS bytes, CPU seconds user+system) summed over the process tree of pid."""
    page, ticks = os.sysconf("SC_PAGE_SIZE"), os.sysconf("SC_CLK_TCK")
    rss, cpu = 0, 0.0
    for p in process_tree(pid, skip):
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            rss += int(Path(f"/proc/{p}/statm").read_text().split()[1]) * page
        except (OSError, IndexError):
            continue
        cpu += (int(fields[11]) + int(fields[12])) / ticks   # utime, stime (fields 14 and 15 of stat)
    return rss, cpu


class Sampler(threading.Thread):
    """Samples a process tree (without skip's subtree) once a second until stopped: RSS start, peak and end, CPU
    seconds, the most processes seen. CPU of a process that ended between two samples is not counted."""

    def __init__(self, pid: int, skip: int | None = None):
        super().__init__(daemon=True)
        self.pid, self.skip, self.stopped = pid, skip, threading.Event()
        self.rss: list[int] = []
        self.processes = 0
        self.started_at, self.cpu_start = time.monotonic(), tree_usage(pid, skip)[1]
        self.cpu_end, self.ended_at = self.cpu_start, self.started_at

    def run(self) -> None:
        while True:
            rss, cpu = tree_usage(self.pid, self.skip)
            self.rss.append(rss)
            self.processes = max(self.processes, len(process_tree(self.pid, self.skip)))
            self.cpu_end, self.ended_at = cpu, time.monotonic()
            if self.stopped.wait(1.0):
                return

    def summary(self) -> dict:
        self.stopped.set()
        self.join()
        wall = max(self.ended_at - self.started_at, 1e-9)
        mb = [r / 2**20 for r in self.rss] or [0.0]
        return {"rss_mb_start": round(mb[0]), "rss_mb_peak": round(max(mb)), "rss_mb_end": round(mb[-1]),
                "cpu_cores_avg": round((self.cpu_end - self.cpu_start) / wall, 2),
                "processes": self.processes}
