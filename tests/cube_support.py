"""Helpers the crossing-cube and profile tests share (issues 10 and 11): a profile and its data written into the
test's folder and ingested with the real CLI, the one line a profile mistake gets, and a release published from a
working database under a policy. File names are the caller's, so a test that reads them back (a profile's path in
an error, a source's file name) sees what it wrote."""

from __future__ import annotations

from pathlib import Path

from support import ingest_json, one_line_error, run_cli, write

# A policy needs one rule at least: this one rounds project budgets, so it changes no crossing or notice.
QUIET_POLICY = ('[policy]\nname = "no crossings rule"\n\n[[rule]]\nid = "round"\ndataset = "infrastructure_projects"\n'
                'action = "round_to"\nfields = ["budget"]\nbase = 1000\nreason = "none"\n')


def ingest_profiled(folder: Path, profile: str, data: str, name: str = "cube", data_name: str | None = None,
                    db_name: str = "work.duckdb") -> tuple[Path, dict]:
    """<name>.toml and <data_name or name.csv> written into folder, ingested into folder/db_name with that profile
    (`borderlens ingest --json`): the database and the source's report."""
    profile_path = write(folder / f"{name}.toml", profile)
    data_path = write(folder / (data_name or f"{name}.csv"), data)
    db = folder / db_name
    [source] = ingest_json(db, data_path, profile=str(profile_path))
    return db, source


def profile_mistake(folder: Path, profile: str, data: str | Path, profile_name: str = "bad.toml",
                    data_name: str = "data.csv", db_name: str = "work.duckdb") -> tuple[str, Path]:
    """The one line `borderlens ingest` says (exit 2, no traceback) for a profile it refuses, and the profile's path.
    data is the file's text (written as data_name), or a path already written."""
    profile_path = write(folder / profile_name, profile)
    data_path = data if isinstance(data, Path) else write(folder / data_name, data)
    result = run_cli("ingest", data_path, "--db", folder / db_name, "--profile", profile_path, check=False)
    return one_line_error(result), profile_path


def publish(db: Path, out: Path, policy: str = QUIET_POLICY, policy_name: str = "policy.toml",
            env: dict | None = None, previous: Path | None = None) -> Path:
    """`borderlens publish` of db to out under the policy's text (written beside out as policy_name); previous: the
    release to pass as --previous."""
    run_cli("publish", "--db", db, "--policy", write(out.parent / policy_name, policy), "--out", out,
            *(["--previous", previous] if previous is not None else []), env=env)
    return out
