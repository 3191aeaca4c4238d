"""The demo inputs: reproducible from their generator, every file documented with publisher and licence,
synthetic files labelled as such in the data."""

from __future__ import annotations

import filecmp
import subprocess
import sys
from pathlib import Path

from support import SAMPLE

GENERATED = ["crossings/mirror_neighbour_counts_demo.csv", "crossings/eu_border_guard_crossings_demo.csv",
             "notices/exercise_notices_demo.csv", "notices/exercise_notices_demo.json",
             "projects/infrastructure_projects_demo.csv", "projects/infrastructure_projects_demo.geojson"]


def test_generator_reproduces_the_committed_synthetic_files(tmp_path: Path):
    subprocess.run([sys.executable, str(SAMPLE / "generate_synthetic.py"), "--out", str(tmp_path)], check=True,
                   capture_output=True, timeout=300)
    for name in GENERATED:
        assert filecmp.cmp(SAMPLE / name, tmp_path / name, shallow=False), name


def test_every_sample_file_is_documented():
    readme = (SAMPLE / "README.md").read_text(encoding="utf-8")
    for path in SAMPLE.rglob("*"):
        if path.is_file() and path.name != "README.md" and not path.name.endswith(".meta.toml"):
            assert path.relative_to(SAMPLE).as_posix() in readme, path


def test_synthetic_files_say_so_beside_the_data():
    import tomllib

    for name in GENERATED:
        meta = tomllib.loads((SAMPLE / (name + ".meta.toml")).read_text(encoding="utf-8"))["source"]
        assert meta["synthetic"] is True and "SYNTHETIC" in meta["publisher"], name
