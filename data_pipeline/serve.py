"""`borderlens serve`: run the Streamlit dashboard on one release folder (never on a working database)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from data_pipeline.errors import UserError
from data_pipeline.release_addresses import run_folder

REPO = Path(__file__).resolve().parent.parent


def serve(release_dir, port: int) -> int:
    """Check the release, then hand over to Streamlit with BORDERLENS_RELEASE set; returns its exit code."""
    release = Path(release_dir)
    if not release.is_dir():
        raise UserError(f"release folder not found: {release}")
    if not (release / "release.json").is_file() or not (release / "borderlens.duckdb").is_file():
        raise UserError(f"{release} is not a release folder (no release.json or borderlens.duckdb); "
                        f"build one with borderlens publish")
    if not 0 < port < 65536:
        raise UserError(f"--port must be 1 to 65535, not {port}")
    app = REPO / "app.py"
    if not app.is_file():
        raise UserError(f"dashboard not found: {app}")
    env = {**os.environ, "BORDERLENS_RELEASE": str(release.resolve())}
    # the release's files at fixed addresses, /app/static/latest/... and /app/static/<id>/... (release_addresses)
    with run_folder(REPO, release.resolve()) as main_script:
        command = [sys.executable, "-m", "streamlit", "run", str(main_script), "--server.port", str(port),
                   "--server.headless", "true", "--server.enableStaticServing", "true",
                   "--browser.gatherUsageStats", "false"]
        try:
            return subprocess.call(command, env=env, cwd=REPO)
        except KeyboardInterrupt:
            return 130
