"""Hostile text survives the whole trip: publisher templates (CSV and JSON) -> `borderlens ingest` ->
`borderlens publish` -> the release (database, CSV / Parquet / GeoJSON extracts) -> `borderlens export`.

Every string must come back byte-exact; in CSV only, a text cell that starts with = + - @ tab or CR gets one
leading quote (OWASP CSV injection), and nothing else is changed.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from support import NOTICE_HEADER, PROJECT_HEADER, query, run_cli, write

HOSTILE = [
    # formula prefixes
    "=1+1", "+cmd", "-2+3", "@SUM(A1)", "\t=x", "\r=x", "=HYPERLINK(\"http://x.invalid\",\"click\")",
    # HTML and script
    "<b>bold</b>", "<img src=x onerror=alert(1)>", "<script>alert(1)</script>", "&amp; &lt;not an entity&gt;",
    # control characters
    "bell\x07ring", "\x1b[31mred\x1b[0m", "back\bspace", "nul\x00inside", "\x7f\x85\u2028\u2029",
    # right-to-left: the override character, Arabic, Hebrew, mixed
    "\u202eevil.exe\u202c", "مناورة الشمال", "תרגיל צפון", "abc \u05d0\u05d1\u05d2 123",
    # emoji, including ZWJ sequences, skin tones and flags
    "👩‍👩‍👧‍👦 family", "🏳️‍🌈", "👍🏽 ok", "🇪🇪🇫🇮",
    # quotes, commas and newlines inside
    'say "hi", then leave', "a,b,,c", '"quoted at both ends"', "line one\nline two", "dos\r\nline",
    "it's", "'already quoted", "trailing newline\n", "semi;colon",
]
# Free-text fields keep surrounding spaces as published (codes, numbers and dates are trimmed):
# see test_surrounding_spaces_survive.
PADDED = [" leading space", "trailing space ", "\u00a0no-break space first", "ideographic space last\u3000"]
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# (dataset, fields that carry a hostile string, id column)
TEXT_FIELDS = {"exercise_notices": ("designation", "purpose", "area_name"),
               "infrastructure_projects": ("name", "description")}
ID_COLUMN = {"exercise_notices": "notice_id", "infrastructure_projects": "project_id"}
POLICY = """
[policy]
name = "hostile text policy"

[[rule]]
id = "funders"
dataset = "infrastructure_projects"
action = "drop"
fields = ["funders"]
reason = "not under test: the text fields stay"
"""


def expected_csv(text: str) -> str:
    """What a CSV cell must hold: the text, with one leading quote when a spreadsheet would run it."""
    return "'" + text if text.startswith(FORMULA_START) else text


def _notice(key: str, text: str) -> dict:
    return {"notice_id": key, "designation": text, "purpose": text, "notifying_iso3": "EST",
            "participating_iso3": "EST", "notified_on": "2024-01-02", "start_date": "2024-03-01",
            "end_date": "2024-03-05", "troops": "1200", "battle_tanks": "", "acvs": "", "artillery": "",
            "sorties": "", "helicopters": "", "airborne_amphibious": "false", "observers_invited": "false",
            "in_annual_calendar": "true", "area_name": text, "lon": "25.95", "lat": "59.25", "area_geojson": "",
            "location_precision": "exact", "synthetic": "true"}


def _project(key: str, text: str) -> dict:
    return {"project_id": key, "name": text, "kind": "road", "status": "planned", "country_iso3": "EST",
            "countries_iso3": "EST", "funders": "Somebody", "budget": "1000", "currency": "EUR",
            "planned_start": "2024-01-01", "planned_end": "2025-01-01", "actual_start": "", "actual_end": "",
            "lon": "25.95", "lat": "59.25", "location_precision": "exact", "description": text, "synthetic": "true"}


def _csv_file(path: Path, header: list[str], rows: list[dict]) -> Path:
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=header, lineterminator="\r\n")  # as a spreadsheet saves it
    writer.writeheader()
    writer.writerows(rows)
    return write(path, buffer.getvalue())


def _sidecar(path: Path, series: str) -> None:
    write(path.with_name(path.name + ".meta.toml"),
          f'[source]\npublisher = "Hostile test publisher"\nseries = "{series}"\nsynthetic = true\n')


def _inputs(folder: Path) -> list[Path]:
    """The hostile strings in all four templates: rows keyed <file>-<index>."""
    folder.mkdir()
    notices_csv = _csv_file(folder / "notices.csv", NOTICE_HEADER,
                            [_notice(f"NC-{i}", t) for i, t in enumerate(HOSTILE + PADDED)])
    json_rows = []
    for i, text in enumerate(HOSTILE + PADDED):
        row = {k: v for k, v in _notice(f"NJ-{i}", text).items() if v != "" and k != "area_geojson"}
        row.update(participating_iso3=["EST"], troops=1200, lon=25.95, lat=59.25, airborne_amphibious=False,
                   observers_invited=False, in_annual_calendar=True)
        json_rows.append(row)
    notices_json = write(folder / "notices.json", json.dumps(
        {"template": "borderlens-exercise-notices/1", "synthetic": True, "notices": json_rows}, ensure_ascii=False))
    projects_csv = _csv_file(folder / "projects.csv", PROJECT_HEADER,
                             [_project(f"PC-{i}", t) for i, t in enumerate(HOSTILE + PADDED)])
    features = []
    for i, text in enumerate(HOSTILE + PADDED):
        props = {k: v for k, v in _project(f"PG-{i}", text).items() if v != "" and k not in ("lon", "lat")}
        props.update(countries_iso3=["EST"], funders=["Somebody"], budget=1000)
        features.append({"type": "Feature", "geometry": {"type": "Point", "coordinates": [25.95, 59.25]},
                         "properties": props})
    projects_geojson = write(folder / "projects.geojson", json.dumps(
        {"type": "FeatureCollection", "template": "borderlens-infrastructure-projects/1", "features": features},
        ensure_ascii=False))
    files = [notices_csv, notices_json, projects_csv, projects_geojson]
    for path in files:
        _sidecar(path, f"hostile-{path.name.replace('.', '-')}")
    return files


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> dict:
    folder = tmp_path_factory.mktemp("hostile")
    files = _inputs(folder / "inputs")
    work, release = folder / "work.duckdb", folder / "release"
    sources = json.loads(run_cli("ingest", *files, "--db", work, "--json").stdout)["sources"]
    run_cli("publish", "--db", work, "--policy", write(folder / "policy.toml", POLICY), "--out", release,
            env={"BORDERLENS_PUBLISH_DATE": "2025-06-30"})
    exported = {}
    for dataset in TEXT_FIELDS:
        exported[dataset] = folder / f"{dataset}.csv"
        run_cli("export", dataset, "--release", release, "--format", "csv", "--out", exported[dataset])
        exported[dataset + "-excel"] = folder / f"{dataset}-excel.csv"
        run_cli("export", dataset, "--release", release, "--format", "csv", "--excel", "--out",
                exported[dataset + "-excel"])
    return {"work": work, "release": release, "sources": sources, "exported": exported}


def _expected(strings: list[str] = HOSTILE, start: int = 0) -> dict[tuple[str, str, str], str]:
    """(dataset, id, field) -> the hostile string it must hold."""
    found = {}
    for dataset, fields in TEXT_FIELDS.items():
        prefixes = ("NC", "NJ") if dataset == "exercise_notices" else ("PC", "PG")
        for prefix in prefixes:
            for i, text in enumerate(strings, start=start):
                for field in fields:
                    found[(dataset, f"{prefix}-{i}", field)] = text
    return found


def _compare(got: dict, transform=lambda text: text, expected: dict | None = None) -> list[str]:
    """Readable differences between what came back and what went in (transformed as the channel must)."""
    problems = []
    for key, text in (expected or _expected()).items():
        want = transform(text)
        if key not in got:
            problems.append(f"{key}: missing (sent {text!r})")
        elif got[key] != want:
            problems.append(f"{key}: sent {text!r}, want {want!r}, got {got[key]!r}")
    return problems


def _csv_cells(path: Path, dataset: str, encoding: str = "utf-8") -> dict:
    with open(path, encoding=encoding, newline="") as handle:
        rows = list(csv.DictReader(handle))
    return {(dataset, row[ID_COLUMN[dataset]], f): row[f] for row in rows for f in TEXT_FIELDS[dataset]}


def test_every_row_was_loaded(hostile):
    assert [(s["rows_read"], s["rows_loaded"], s["rows_quarantined"]) for s in hostile["sources"]] == \
        [(len(HOSTILE + PADDED), len(HOSTILE + PADDED), 0)] * 4


def _db_cells(db: Path) -> dict:
    got = {}
    for dataset, fields in TEXT_FIELDS.items():
        for row in query(db, f"select {ID_COLUMN[dataset]}, {', '.join(fields)} from {dataset}"):
            got.update({(dataset, row[0], f): v for f, v in zip(fields, row[1:])})
    return got


def test_working_and_release_databases_hold_the_exact_strings(hostile):
    for db in (hostile["work"], hostile["release"] / "borderlens.duckdb"):
        got = _db_cells(db)
        assert not _compare(got), "\n".join([str(db), *_compare(got)])


def test_surrounding_spaces_survive(hostile):
    got = _db_cells(hostile["work"])
    padded = _expected(PADDED, start=len(HOSTILE))
    assert not _compare(got, expected=padded), "\n".join(_compare(got, expected=padded))


def test_release_csv_extracts_are_exact_apart_from_the_formula_quote(hostile):
    got = {}
    for dataset in TEXT_FIELDS:
        got.update(_csv_cells(hostile["release"] / "extracts" / f"{dataset}.csv", dataset))
    assert not _compare(got, expected_csv), "\n".join(_compare(got, expected_csv))


def test_exported_csv_is_exact_apart_from_the_formula_quote(hostile):
    got, excel = {}, {}
    for dataset in TEXT_FIELDS:
        got.update(_csv_cells(hostile["exported"][dataset], dataset))
        path = hostile["exported"][dataset + "-excel"]
        assert path.read_bytes().startswith(b"\xef\xbb\xbf")
        excel.update(_csv_cells(path, dataset, encoding="utf-8-sig"))
    assert not _compare(got, expected_csv), "\n".join(_compare(got, expected_csv))
    assert excel == got


def test_parquet_and_geojson_extracts_are_exact(hostile):
    got = {}
    for dataset, fields in TEXT_FIELDS.items():
        for row in pq.read_table(hostile["release"] / "extracts" / f"{dataset}.parquet").to_pylist():
            got.update({(dataset, row[ID_COLUMN[dataset]], f): row[f] for f in fields})
    assert not _compare(got), "\n".join(_compare(got))
    got = {}
    for dataset, fields in TEXT_FIELDS.items():
        document = json.loads((hostile["release"] / "extracts" / f"{dataset}.geojson").read_text(encoding="utf-8"))
        for feature in document["features"]:
            props = feature["properties"]
            got.update({(dataset, props[ID_COLUMN[dataset]], f): props[f] for f in fields})
    assert not _compare(got), "\n".join(_compare(got))
