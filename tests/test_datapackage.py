"""datapackage.json: the licence each source is under, named by its SPDX identifier from the publisher's own words
(issue 16: CC BY-NC, CC BY-ND and CC BY 3.0 IGO all came out as CC-BY-4.0), and the whole package valid against
the Frictionless specification, checked by the `frictionless` package itself on a release built by the real CLI."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from frictionless import Package

from support import SAMPLE, run_cli
from test_app_release import release_dir  # noqa: F401

from data_pipeline.export.licences import licence

# The publisher's words -> the SPDX identifier (https://spdx.org/licenses/), as a reader of the licence text names it.
WORDS = [
    ("CC BY 4.0", "CC-BY-4.0"),
    ("Creative Commons Attribution 4.0 International (CC BY 4.0)", "CC-BY-4.0"),
    ("CC BY-NC 4.0", "CC-BY-NC-4.0"),
    ("Creative Commons Attribution-NonCommercial 4.0 International", "CC-BY-NC-4.0"),
    ("CC BY-ND 4.0", "CC-BY-ND-4.0"),
    ("CC BY-NC-SA 4.0", "CC-BY-NC-SA-4.0"),
    ("CC BY-SA 4.0", "CC-BY-SA-4.0"),
    ("cc-by-sa-3.0", "CC-BY-SA-3.0"),
    ("CC BY 3.0 IGO", "CC-BY-3.0-IGO"),
    ("Creative Commons Attribution 3.0 IGO", "CC-BY-3.0-IGO"),
    ("CC0", "CC0-1.0"),
    ("CC0-1.0", "CC0-1.0"),
    ("ODbL-1.0", "ODbL-1.0"),
    ("Open Database License (ODbL) v1.0", "ODbL-1.0"),
    ("PDDL", "PDDL-1.0"),
    ("Open Government Licence v3.0", "OGL-UK-3.0"),
    ("Public domain", "other-pd"),
    ("Public domain (US federal government work)", "other-pd"),
    ("U.S. Government Work", "other-pd"),
]
# Words no known licence answers to, or only ambiguously (which version of CC BY-SA?): kept verbatim and flagged.
UNKNOWN = ["Nordic Border Data Licence 2.1", "CC BY-SA", "Open Government Licence", "all rights reserved"]


@pytest.mark.parametrize("words, spdx", WORDS)
def test_publisher_words_map_to_their_spdx_identifier(words, spdx):
    entry = licence(words)
    assert entry["name"] == spdx and entry["title"] == words and entry["recognised"] is True


@pytest.mark.parametrize("words", UNKNOWN)
def test_an_unknown_licence_is_kept_verbatim_and_flagged(words):
    entry = licence(words)
    assert entry["title"] == words and entry["recognised"] is False
    assert entry["name"].startswith("LicenseRef-") and " " not in entry["name"]   # SPDX's form for an unlisted one
    assert not any(entry["name"] == spdx for _, spdx in WORDS)


def _valid(package_path: Path) -> None:
    """Frictionless's own checks: the descriptor (every resource, schema and field), then each CSV's rows against
    its Table Schema (the Parquet and GeoJSON copies carry the same rows)."""
    descriptor = json.loads(package_path.read_text(encoding="utf-8"))
    assert [e.message for e in Package.metadata_validate(descriptor)] == []
    package = Package(str(package_path))
    for resource in descriptor["resources"]:
        if resource["format"] == "csv":
            report = package.get_resource(resource["name"]).validate()
            assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]


def test_the_demo_release_datapackage_is_valid_frictionless(release_dir):  # noqa: F811
    _valid(Path(release_dir) / "datapackage.json")


def test_a_release_names_each_sources_licence(tmp_path):
    """Three demo files re-published under other licences (their metadata beside them), ingested and published by
    the CLI: each licence named for what it is, the unknown one flagged, and the package still valid."""
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    given = {"notices/exercise_notices_demo.csv": "CC BY-NC 4.0",
             "projects/infrastructure_projects_demo.csv": "CC BY 3.0 IGO",
             "crossings/eu_border_guard_crossings_demo.csv": "CC BY-ND 4.0",
             "crossings/mirror_neighbour_counts_demo.csv": "Nordic Border Data Licence 2.1"}
    for name, words in given.items():
        source = SAMPLE / name
        shutil.copy(source, inputs / source.name)
        meta = Path(f"{source}.meta.toml").read_text(encoding="utf-8")
        lines = [f'licence = "{words}"' if line.startswith("licence") else line for line in meta.splitlines()]
        assert lines != meta.splitlines()
        (inputs / f"{source.name}.meta.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    work, release = tmp_path / "work.duckdb", tmp_path / "release"
    run_cli("ingest", inputs, "--db", work, "--no-progress")
    run_cli("publish", "--db", work, "--policy", SAMPLE / "policy.toml", "--out", release)
    package = json.loads((release / "datapackage.json").read_text(encoding="utf-8"))
    named = {entry["title"]: (entry["name"], entry["recognised"]) for entry in package["licenses"]}
    assert named == {"CC BY-NC 4.0": ("CC-BY-NC-4.0", True), "CC BY 3.0 IGO": ("CC-BY-3.0-IGO", True),
                     "CC BY-ND 4.0": ("CC-BY-ND-4.0", True),
                     "Nordic Border Data Licence 2.1": ("LicenseRef-Nordic-Border-Data-Licence-2.1", False)}
    by_source = {s["licence"]: s["licence_id"] for s in package["sources"]}
    assert by_source == {title: name for title, (name, _) in named.items()}
    _valid(release / "datapackage.json")


def test_each_dataset_carries_the_licences_of_its_own_sources(release_dir):
    """Reveal's fence is ODbL: that binds the infrastructure extracts, not the crossings or notices."""
    import duckdb

    package = json.loads((Path(release_dir) / "datapackage.json").read_text(encoding="utf-8"))
    con = duckdb.connect(str(Path(release_dir) / "borderlens.duckdb"), read_only=True)
    try:
        rows = con.execute("select dataset, licence from sources where licence is not null").fetchall()
    finally:
        con.close()
    for resource in package["resources"]:
        dataset = resource["name"].split("-")[0]
        own = {licence(text)["name"] for d, text in rows if d == dataset}
        assert {entry["name"] for entry in resource["licenses"]} == own, resource["name"]
    by_name = {r["name"]: {e["name"] for e in r["licenses"]} for r in package["resources"]}
    assert "ODbL-1.0" in by_name["infrastructure_projects"] and "ODbL-1.0" not in by_name["crossings"]


def _dimension_fields(package: dict) -> dict[str, dict]:
    [crossings] = [r for r in package["resources"] if r["name"] == "crossings"]
    return {f["name"]: f for f in crossings["schema"]["fields"] if f["name"].startswith("dimension_")}


def _v2_categories(field: dict) -> None:
    """Table Schema v2 (datapackage.org/standard/table-schema, `categories`): objects with a `value` and an optional
    string `label`, labels unique within the field, and an enum a subset of the categories' values."""
    entries = field["categories"]
    assert all(set(e) <= {"value", "label"} and isinstance(e["value"], str) for e in entries), field["name"]
    labels = [e["label"] for e in entries if "label" in e]
    assert all(isinstance(label, str) and label.strip() for label in labels), field["name"]
    assert len(labels) == len(set(labels)), field["name"]
    assert set(field["constraints"]["enum"]) <= {e["value"] for e in entries}


def test_the_demo_release_lists_each_dimension_code_with_its_label(release_dir):  # noqa: F811
    """The real Frontex file in the demo release: every nationality code of the published extract has its category,
    an ISO 3166 code named as pycountry names the country (Syria, not SYR), Frontex's own codes (read as "other
    codes" only) labelled as no country and told apart by their code, border types kept as published without one."""
    import csv

    import pycountry

    folder = Path(release_dir)
    package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    fields = _dimension_fields(package)
    for field in fields.values():
        _v2_categories(field)
    nationality = {e["value"]: e.get("label") for e in fields["dimension_nationality"]["categories"]}
    with open(folder / "extracts" / "crossings.csv", newline="", encoding="utf-8") as handle:
        published = {row["dimension_nationality"] for row in csv.DictReader(handle)} - {""}
    assert published == set(nationality)
    frontex = SAMPLE / "crossings" / "frontex_irregular_border_crossings_monthly_2009-01_2025-04.csv"
    with open(frontex, newline="", encoding="utf-8") as handle:
        in_file = {row["nat"].upper() for row in csv.DictReader(handle)}
    assert in_file <= set(nationality)
    assert nationality["SYR"] == "Syria" and nationality["AFG"] == "Afghanistan" and nationality["XKX"] == "Kosovo"
    for code, label in nationality.items():
        country = pycountry.countries.get(alpha_3=code)
        if country is not None:
            assert label in {getattr(country, "common_name", None), country.name}, code
    own = {code for code in in_file if pycountry.countries.get(alpha_3=code) is None} - {"XKX"}
    assert own and {nationality[code] for code in own} == {f"not a country code (publisher's own) ({code})"
                                                            for code in own}
    assert all("label" not in e for e in fields["dimension_border_type"]["categories"])
    assert "categories" in fields["dimension_nationality"]["description"]


def test_a_publishers_own_total_is_a_labelled_category():
    """_total (a publisher's total row kept as a cell) is among a column's codes: it gets a label of its own, so
    the enum stays a subset of the categories and no code reads as a country."""
    from data_pipeline.export.cube_extracts import categories

    entries = categories(["MEX", "USA", "_total"], {"MEX": "Mexico", "USA": "United States"})
    labels = {e["value"]: e.get("label") for e in entries}
    assert labels["MEX"] == "Mexico" and labels["_total"] and "total" in labels["_total"]
    assert len(set(labels.values())) == 3
