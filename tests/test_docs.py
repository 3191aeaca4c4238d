"""Docs are tested: every `.venv/bin/borderlens` line in a sh block of README.md and docs/*.md runs, in order,
against a scratch build folder, and what it prints or writes is compared with the database or release it worked
on, read directly (rows per source, per table, per filter; the release id); the README starts with the two set-up
commands."""

from __future__ import annotations

import csv
import json
import re
import shlex
import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from support import REPO, query, run_cli

DOCS = [REPO / "README.md", *sorted((REPO / "docs").rglob("*.md"))]
BLOCK = re.compile(r"```sh\n(.*?)```", re.S)


def cli_lines(path: Path) -> list[str]:
    lines = []
    for block in BLOCK.findall(path.read_text(encoding="utf-8")):
        for line in block.splitlines():
            line = line.split("  #", 1)[0].strip()
            if line.startswith(".venv/bin/borderlens "):
                lines.append(line)
    return lines


def test_readme_starts_with_the_two_commands():
    text = (REPO / "README.md").read_text(encoding="utf-8")
    first_block = BLOCK.search(text).group(1)
    assert [line.split()[0:2] for line in first_block.strip().splitlines()] == [["make", "run"], ["make", "test"]]


def _option(args: list[str], name: str) -> str | None:
    return args[args.index(name) + 1] if name in args else None


def _options(args: list[str], name: str) -> list[str]:
    return [args[i + 1] for i, a in enumerate(args) if a == name]


def _ingest(args: list[str], out: str) -> None:
    """One line per source: read = loaded + quarantined, as the working database records it."""
    db = Path(_option(args, "--db"))
    lines = [line.split() for line in out.splitlines() if line.strip()]
    assert lines, out
    for words in lines:
        source_id, read, loaded, quarantined = words[1], *(int(words[i].replace(",", "")) for i in (3, 5, 7))
        assert read == loaded + quarantined
        assert query(db, "select rows_read, rows_loaded, rows_quarantined from sources where source_id = ?",
                     [source_id]) == [(read, loaded, quarantined)]
        assert query(db, "select count(*) from quarantine where source_id = ?", [source_id]) == [(quarantined,)]


def _status(args: list[str], out: str) -> None:
    db = Path(_option(args, "--db"))
    shown = dict(re.findall(r"^  (\w+) +([\d,]+) rows$", out, re.M))
    assert shown, out
    for table, count in shown.items():
        assert query(db, f'select count(*) from "{table}"') == [(int(count.replace(",", "")),)], table


def _quarantine(args: list[str], out: str) -> None:
    db = Path(_option(args, "--db"))
    rows = list(csv.DictReader(out.splitlines()))
    assert len(rows) == query(db, "select count(*) from quarantine")[0][0]
    assert all(json.loads(r["raw_record"]) for r in rows)


def _publish(args: list[str], out: str) -> None:
    release = Path(_option(args, "--out"))
    info = json.loads((release / "release.json").read_text(encoding="utf-8"))
    assert out.strip() == f"published release {info['release_id']} to {release}"


def _export(args: list[str], out: str) -> None:
    """The file holds exactly the rows of the release table that the --where filters keep."""
    dataset, fmt, path = args[1], _option(args, "--format"), Path(_option(args, "--out"))
    where = [w.split("=", 1) for w in _options(args, "--where")]
    sql = f'select count(*) from "{dataset}"' + "".join(
        f"{' where' if i == 0 else ' and'} cast(\"{c}\" as varchar) = ?" for i, (c, _) in enumerate(where))
    expected = query(Path(_option(args, "--release")) / "borderlens.duckdb", sql, [v for _, v in where])[0][0]
    assert expected > 0, args
    if fmt == "csv":
        with open(path, encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.DictReader(handle))
        assert all(r[c] == v for r in rows for c, v in where)
        assert path.read_bytes().startswith(b"\xef\xbb\xbf") == ("--excel" in args)
    elif fmt == "geojson":
        rows = [f["properties"] for f in json.loads(path.read_text(encoding="utf-8"))["features"]]
        assert all(str(r[c]) == v for r in rows for c, v in where)
    else:
        rows = pq.read_table(path).to_pylist()
        assert all(str(r[c]) == v for r in rows for c, v in where)
    assert len(rows) == expected


def _verify(args: list[str], out: str) -> None:
    """A release just published is whole: every file of the folder is named in its digests and matches."""
    release = Path(_option(args, "--release"))
    listed = json.loads((release / "digests.json").read_text(encoding="utf-8"))["files"]
    on_disk = {p.relative_to(release).as_posix() for p in release.rglob("*") if p.is_file()} - {"digests.json"}
    assert set(listed) == on_disk
    assert out.strip() == f"{release}: whole (every file matches digests.json; the database matches release.json)"


CHECKS = {"ingest": _ingest, "status": _status, "quarantine": _quarantine, "publish": _publish, "export": _export,
          "verify": _verify}


# The commands that change the scratch folder; the others only read it (and write a file of their own).
CHANGING = {"ingest", "publish"}
# (the changing lines run so far, in order) -> (the folder copied after the last of them, what it printed, the
# folder it ran in): README.md and docs/sharing.md both ingest and publish the demo with the same lines.
_RAN: dict[tuple[str, ...], tuple[Path, str, Path]] = {}


@pytest.mark.parametrize("doc", [d for d in DOCS if cli_lines(d)], ids=lambda d: d.relative_to(REPO).as_posix())
def test_cli_commands_in_docs_run_and_say_what_they_did(tmp_path: Path, doc: Path, tmp_path_factory):
    """Each line runs and its output is checked. A changing line that follows the same changing lines as in a doc
    checked before (same text, same order, so the same command on the same folder) is not run twice: that doc's
    folder after it is copied in, and what it printed is checked again here, against this folder."""
    done: tuple[str, ...] = ()
    for line in cli_lines(doc):
        args = [a.replace("build/", f"{tmp_path}/") for a in shlex.split(line)[1:]]
        if args[0] not in CHANGING:
            CHECKS[args[0]](args, run_cli(*args).stdout)
            continue
        done += (line,)
        if done in _RAN:
            folder, out, ran_in = _RAN[done]
            shutil.copytree(folder, tmp_path, dirs_exist_ok=True)
            out = out.replace(str(ran_in), str(tmp_path))
        else:
            out = run_cli(*args).stdout
            _RAN[done] = (shutil.copytree(tmp_path, tmp_path_factory.mktemp("docs-state"), dirs_exist_ok=True),
                          out, tmp_path)
        CHECKS[args[0]](args, out)
