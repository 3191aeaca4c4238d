"""Profile folders (issue 11, point 6): an operator's profiles join detection through `--profiles DIR` and
BORDERLENS_PROFILES; a broken one, a name taken twice or a folder not there is one line (exit 2) before any
database is made; "no profile fits" ranks the closest three and says how to write one. Through the real CLI, on
the example in docs/profiles.md (real BTS figures in a layout of our own)."""

from __future__ import annotations

import csv
import os
import re
from pathlib import Path

from data_pipeline.ingest.profiles import BUILTIN_DIR
from support import REPO, one_line_error, query, run_cli

EXAMPLES = REPO / "docs" / "examples"
DATA = EXAMPLES / "maine_ports_2024-01.csv"
FOLDER = EXAMPLES / "profiles"
OWN = FOLDER / "maine-ports.toml"


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _ingest(*args, env: dict | None = None, check: bool = True):
    return run_cli("ingest", *args, check=check, env={"BORDERLENS_PROFILES": "", **(env or {})})


def _profiles_of(db: Path) -> list[tuple]:
    return query(db, "select profile, rows_read, rows_loaded, rows_quarantined from sources")


def test_a_folder_given_with_profiles_or_in_the_environment_joins_detection(tmp_path: Path):
    rows = list(csv.DictReader(DATA.open(encoding="utf-8", newline="")))
    trucks = [int(r["Count"]) for r in rows if r["Mode"] == "trucks"]
    empty = tmp_path / "empty"
    empty.mkdir()
    for name, args, env in (("option", ["--profiles", FOLDER], None),
                            ("environment", [], {"BORDERLENS_PROFILES": os.pathsep.join([str(empty), str(FOLDER)])})):
        db = tmp_path / f"{name}.duckdb"
        _ingest(DATA, *args, "--db", db, env=env)
        assert _profiles_of(db) == [("maine-ports", len(rows), len(rows), 0)], name
        assert query(db, "select count(*), sum(value) from crossings where measure = 'trucks'") == \
            [(len(trucks), sum(trucks))]


def test_no_profile_fits_ranks_the_closest_three_and_says_how_to_write_one(tmp_path: Path):
    db = tmp_path / "w.duckdb"
    line = one_line_error(_ingest(DATA, "--db", db, check=False))
    assert line.startswith(f"borderlens: {DATA.relative_to(REPO)}: no profile fits this layout; closest: ") or \
        line.startswith(f"borderlens: {DATA}: no profile fits this layout; closest: "), line
    assert "write a profile for this layout (docs/profiles.md)" in line and "--profiles DIR" in line
    assert "BORDERLENS_PROFILES" in line
    # A header holding 4 of the BTS profile's 6 columns and 1 of the example's 5: ranked by that share.
    partial = write(tmp_path / "partial.csv", "Port Name,Port Code,Border,Date,Count\nA,0104,x,Jan 2024,1\n")
    line = one_line_error(_ingest(partial, "--profiles", FOLDER, "--db", db, check=False))
    ranked = re.findall(r"([\w-]+) \((\d+)% of its columns", line)
    assert ranked == [("bts-border-crossings", "67"), ("maine-ports", "20"), ("borderlens-exercise-notices-csv", "0")]
    assert "lacks 'Measure', 'Value'" in line


def test_an_operator_profile_cannot_take_a_built_in_name(tmp_path: Path):
    folder = tmp_path / "mine"
    clash = write(folder / "bts.toml", (BUILTIN_DIR / "bts-border-crossings.toml").read_text(encoding="utf-8"))
    db = tmp_path / "w.duckdb"
    line = one_line_error(_ingest(DATA, "--profiles", folder, "--db", db, check=False))
    assert line == (f"borderlens: profile {clash}: the name 'bts-border-crossings' is taken by built-in profile "
                    f"{BUILTIN_DIR / 'bts-border-crossings.toml'}; give it another [profile] name")
    assert not db.exists()


def test_two_folders_cannot_give_one_name_twice(tmp_path: Path):
    copy = write(tmp_path / "mine" / "copy.toml", OWN.read_text(encoding="utf-8"))
    line = one_line_error(_ingest(DATA, "--db", tmp_path / "w.duckdb", check=False,
                                  env={"BORDERLENS_PROFILES": os.pathsep.join([str(FOLDER), str(copy.parent)])}))
    assert line == (f"borderlens: profile {copy}: the name 'maine-ports' is taken by {FOLDER.resolve() / OWN.name}; "
                    f"give it another [profile] name")


def test_a_broken_profile_in_a_folder_is_one_line_naming_it(tmp_path: Path):
    broken = write(tmp_path / "mine" / "broken.toml", OWN.read_text(encoding="utf-8").replace(
        "[fields]", "[fields\n"))
    db = tmp_path / "w.duckdb"
    line = one_line_error(_ingest(DATA, "--profiles", broken.parent, "--db", db, check=False))
    assert str(broken) in line and "TOML" in line, line
    wrong = write(tmp_path / "wrong" / "wrong.toml", OWN.read_text(encoding="utf-8").replace(
        'dataset = "crossings"', 'dataset = "crossing"'))
    line = one_line_error(_ingest(DATA, "--db", db, check=False, env={"BORDERLENS_PROFILES": str(wrong.parent)}))
    assert str(wrong) in line and "dataset" in line, line
    assert not db.exists()


def test_a_profile_folder_that_is_not_there_is_one_line(tmp_path: Path):
    line = one_line_error(_ingest(DATA, "--profiles", tmp_path / "nowhere", "--db", tmp_path / "w.duckdb",
                                  check=False))
    assert line == f"borderlens: profile folder {tmp_path / 'nowhere'} (--profiles): not found"
    line = one_line_error(_ingest(DATA, "--db", tmp_path / "w.duckdb", check=False,
                                  env={"BORDERLENS_PROFILES": str(DATA)}))
    assert line == f"borderlens: profile folder {DATA} (BORDERLENS_PROFILES): is not a folder"


def test_two_profiles_that_fit_alike_are_refused_and_profile_name_chooses(tmp_path: Path):
    twin = write(tmp_path / "mine" / "twin.toml", OWN.read_text(encoding="utf-8").replace(
        'name = "maine-ports"', 'name = "maine-ports-twin"'))
    db = tmp_path / "w.duckdb"
    line = one_line_error(_ingest(DATA, "--profiles", FOLDER, "--profiles", twin.parent, "--db", db, check=False))
    assert "profiles maine-ports" in line and "maine-ports-twin" in line and "--profile NAME" in line, line
    _ingest(DATA, "--profiles", FOLDER, "--profiles", twin.parent, "--profile", "maine-ports-twin", "--db", db)
    assert _profiles_of(db) == [("maine-ports-twin", 18, 18, 0)]
