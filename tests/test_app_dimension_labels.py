"""Labels for dimension codes (issue 10 leftovers): the dashboard shows a nationality code with its label, from a
code list that ships in the release (its dimension_codes table, made at publish time: a country's name for an ISO
3166 code, the profile's label for a publisher's own code, and for an own code the publisher does not explain, no
guessed meaning). Codes stay in the URL; labels are for display only. Real CLI, real DuckDB release, real pages
through AppTest; labelled synthetic files in Frontex's layout (built-in profile) and in a layout of their own."""

from __future__ import annotations

import pytest

from cube_support import ingest_profiled, profile_mistake, publish
from support import query, run_cli, write
from test_app_release import open_page, serve_in_apptest

# Frontex's layout: its own codes OOO and STL beside ISO codes and Kosovo's user-assigned XKX
FRONTEX_LAYOUT = ("route,type,nat,t,n\n"
                  "Central Mediterranean Route,Sea,SYR,2024-01,41\n"
                  "Central Mediterranean Route,Sea,STL,2024-01,17\n"
                  "Central Mediterranean Route,Sea,OOO,2024-01,12\n"
                  "Central Mediterranean Route,Land,XKX,2024-02,5\n")
# a publisher that says what its own code means: the profile carries the label
OWN_PROFILE = """
[profile]
name = "test-labelled-codes"
dataset = "crossings"
title = "SYNTHETIC: persons by nationality, with a documented code of the publisher's own"
publisher = "Synthetic border agency"
synthetic = true

[dates]
formats = ["%Y-%m"]

[fields]
place_kind = { value = "region" }
location_id = { column = "region", prefix = "TST-" }
location_name = "region"
reporter_org = { value = "Synthetic border agency" }
direction = { value = "inbound" }
period = "month"
period_granularity = { value = "month" }
measure = { value = "persons" }
value = "persons"

[dimensions]
nationality = { column = "nat", codes = "iso3166", open = ["NONAT"], labels = { NONAT = "Without nationality" } }
"""
OWN_DATA = "region,nat,month,persons\nNorth,NONAT,2024-01,30\nNorth,SYR,2024-01,70\n"


@pytest.fixture(scope="module")
def labelled_release(tmp_path_factory) -> str:
    folder = tmp_path_factory.mktemp("labels")
    work, release = folder / "work.duckdb", folder / "release"
    run_cli("ingest", write(folder / "frontex_layout_synthetic.csv", FRONTEX_LAYOUT), "--db", work, "--no-progress")
    ingest_profiled(folder, OWN_PROFILE, OWN_DATA, name="own")
    return str(publish(work, release))


@pytest.fixture
def app(labelled_release, monkeypatch):
    """AppTest on the release, as the real server runs it (test_app_release.serve_in_apptest)."""
    serve_in_apptest(monkeypatch, labelled_release)

    def open_app(params: dict | None = None, page: str | None = None):
        at = open_page(page, params)
        assert not at.exception, [e.value for e in at.exception]
        return at
    return open_app


def test_the_release_ships_the_labels(labelled_release):
    rows = query(f"{labelled_release}/borderlens.duckdb", "select dimension, code, label from dimension_codes")
    assert sorted(rows, key=lambda r: (r[0], r[1])) == [
        ("border_type", "land", None), ("border_type", "sea", None),     # kept as published: no code list
        ("nationality", "NONAT", "Without nationality"),                   # the profile's label
        ("nationality", "OOO", "not a country code (publisher's own)"),    # Frontex does not say, so neither do we
        ("nationality", "STL", "not a country code (publisher's own)"),
        ("nationality", "SYR", "Syria"),
        ("nationality", "XKX", "Kosovo"),
    ]
    run_cli("verify", "--release", labelled_release)


def _sidebar_options(at, label: str) -> list[str]:
    [widget] = [w for w in at.sidebar.multiselect if w.label == label]
    return list(widget.options)


def test_the_sidebar_shows_labels_and_the_url_keeps_codes(app):
    at = app({"dim_nationality": "STL,SYR"})
    options = _sidebar_options(at, "Nationality")
    assert {"Syria (SYR)", "Kosovo (XKX)", "Without nationality (NONAT)",
            "not a country code (publisher's own) (OOO)", "not a country code (publisher's own) (STL)"} <= set(options)
    assert {"land", "sea"} <= set(_sidebar_options(at, "Border type"))   # no label: the code as it is
    [widget] = [w for w in at.sidebar.multiselect if w.label == "Nationality"]
    assert sorted(widget.value) == ["STL", "SYR"]
    chosen = at.query_params["dim_nationality"]
    assert (chosen if isinstance(chosen, str) else ",".join(chosen)) == "STL,SYR"


def test_the_breakdown_page_shows_labels(app):
    def codes(measure: str) -> dict[str, str]:
        at = app({"dimension": "nationality", "measure": measure, "grain": "month", "from": "2024-01",
                  "to": "2024-02"}, page="breakdown")
        assert at.query_params["measure"] in (measure, [measure])     # the code, not a label, in the URL
        table = at.dataframe[-1].value
        return dict(zip(table["code"], table["label"]))

    assert codes("persons") == {"SYR": "Syria", "NONAT": "Without nationality"}
    assert codes("irregular_border_crossings") == {
        "SYR": "Syria", "XKX": "Kosovo", "OOO": "not a country code (publisher's own)",
        "STL": "not a country code (publisher's own)"}


def test_labels_must_be_a_table_of_texts(tmp_path):
    line, _ = profile_mistake(tmp_path, OWN_PROFILE.replace('labels = { NONAT = "Without nationality" }',
                                                            'labels = "Without nationality"'), OWN_DATA,
                              data_name="own.csv")
    assert "[dimensions] nationality labels must be a table" in line


def test_datapackage_and_the_downloads_page_carry_the_labels(labelled_release, app):
    """The publisher's label of its own code (the profile's NONAT) reaches datapackage.json's categories and the
    Downloads page's code table, beside country names; codes without a code list carry none."""
    import json
    from pathlib import Path

    package = json.loads((Path(labelled_release) / "datapackage.json").read_text(encoding="utf-8"))
    [crossings] = [r for r in package["resources"] if r["name"] == "crossings"]
    fields = {f["name"]: f for f in crossings["schema"]["fields"]}
    nationality = {e["value"]: e.get("label") for e in fields["dimension_nationality"]["categories"]}
    assert nationality == {"NONAT": "Without nationality", "OOO": "not a country code (publisher's own) (OOO)",
                           "STL": "not a country code (publisher's own) (STL)", "SYR": "Syria", "XKX": "Kosovo"}
    assert fields["dimension_border_type"]["categories"] == [{"value": "land"}, {"value": "sea"}]
    assert sorted(fields["dimension_nationality"]["constraints"]["enum"]) == sorted(nationality)
    at = app(page="downloads")
    [table] = [d.value for d in at.dataframe if "label" in d.value.columns and "code" in d.value.columns]
    shown = {(c, code): label for c, code, label in zip(table["column"], table["code"], table["label"])}
    assert shown[("dimension_nationality", "NONAT")] == "Without nationality"
    assert shown[("dimension_nationality", "SYR")] == "Syria"
    assert ("dimension_border_type", "sea") in shown
