"""An ingest as a real process: the copies it makes of an input (a UTF-16 file copied to UTF-8, line ends made
one kind, a staging database) sit in one folder only its user can enter, and when the ingest is killed with
SIGKILL the next command of any kind removes them: they hold the operator's unpublished input."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
from pathlib import Path

from support import BORDERLENS, REPO, run_cli
from test_publish_processes import stopped_when

BTS = REPO / "sample_data" / "crossings" / "bts_border_crossing_entry_data_2023-01_2025-02.csv"


def test_killed_ingest_copies_are_private_and_removed_by_the_next_command(tmp_path: Path):
    temp = tmp_path / "temp"
    temp.mkdir()
    env = {**os.environ, "TMPDIR": str(temp)}
    source = tmp_path / "crossings_utf16.csv"   # many copies of the real file in UTF-16: read through a copy
    text = BTS.read_text(encoding="utf-8")
    header, _, body = text.partition("\n")
    source.write_text(header + "\n" + body * 20, encoding="utf-16")
    db = tmp_path / "work.duckdb"
    ingest = subprocess.Popen([BORDERLENS, "ingest", str(source), "--db", str(db)], cwd=REPO, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    killed = False

    def copying() -> bool:
        return any(f.suffix == ".csv" for folder in temp.glob("borderlens-ingest-*") for f in folder.iterdir())

    try:
        stopped_when(ingest, copying)
        [folder] = temp.glob("borderlens-ingest-*")
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, "others could read the copy of the input"
        assert sorted(temp.iterdir()) == [folder], "a copy of the input outside the private folder"
        run_cli("status", "--db", db, check=False, env=env)   # the ingest lives (stopped): its folder stays
        assert folder.is_dir(), "a command removed the folder of a live ingest"
        os.kill(ingest.pid, signal.SIGKILL)
        killed = True
    finally:
        if not killed:
            os.kill(ingest.pid, signal.SIGCONT)
        ingest.communicate(timeout=120)
    assert ingest.returncode == -signal.SIGKILL
    assert any(f.suffix == ".csv" for f in folder.iterdir()), "SIGKILL left no copy behind (proves nothing)"
    run_cli("quarantine", "--db", db, check=False, env=env)
    assert not folder.exists(), "the copy of a killed ingest outlived the next command"
    assert not list(temp.iterdir())
