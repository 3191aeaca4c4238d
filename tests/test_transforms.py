"""Transforms a profile states per field (issue 11, point 3): a field's own missing markers, a scale, and many
columns gathered into one list through the countries vocabulary, with names it cannot map kept visibly; through the
real CLI on real DuckDB files."""

from __future__ import annotations

from pathlib import Path

import pytest

from cube_support import ingest_profiled, profile_mistake
from support import ingest_json, query

PROFILE = """
[profile]
name = "transforms"
dataset = "exercise_notices"

[detect]
columns = ["Id", "Name", "From", "To"]

[dates]
formats = ["%Y-%m-%d"]

[markers]
withheld = ["(W)"]

[fields]
notice_id = "Id"
designation = { column = "Name", missing = ["-9", "NA"] }
notifying_iso3 = { column = "State", map = "countries" }
participating_iso3 = { columns_matching = 'Member[A-Z]', map = "countries", unmapped = "apart", missing = ["-9"] }
start_date = "From"
end_date = "To"
troops = { column = "Troops (thousands)", scale = 1000, missing = ["-9"] }
"""
HEADER = "Id,Name,State,From,To,Troops (thousands),MemberA,MemberB,MemberC\n"
ROWS = [
    "N1,Readex,Poland,1990-01-02,1990-01-03,1.5,Poland,German Democratic Republic,-9",
    "N2,-9,Germany,1990-01-02,1990-01-03,-9,NATO,,France",
    "N3,na,DEU,1990-01-02,1990-01-03,(W),Czechoslovakia,-9,",
    "N4,Bad,POL,1990-01-02,1990-01-03,a lot,Poland,,",
]


def _ingest(tmp_path: Path, unmapped: str = "apart", rows: list[str] = ROWS):
    return ingest_profiled(tmp_path, PROFILE.replace('unmapped = "apart"', f'unmapped = "{unmapped}"'),
                           HEADER + "\n".join(rows) + "\n", name="t")


def test_missing_markers_scale_and_a_list_of_columns(tmp_path: Path):
    db, result = _ingest(tmp_path)
    assert (result["rows_read"], result["rows_loaded"], result["rows_quarantined"]) == (4, 3, 1)
    rows = {r[0]: r[1:] for r in query(db, """
        select notice_id, designation, notifying_iso3, participating_iso3, participants_unmapped, troops, troops_status
        from exercise_notices""")}
    assert rows == {
        # 1.5 thousand troops are 1,500; the unmapped state is kept apart, as published; -9 is no participant
        "N1": ("Readex", "POL", ["POL"], ["German Democratic Republic"], 1500, "reported"),
        # -9 is a missing name and a missing number: never a designation, never 0
        "N2": (None, "DEU", ["FRA"], ["NATO"], None, "missing"),
        # markers compare in any case; a withheld count stays withheld through the scale
        "N3": (None, "DEU", None, ["Czechoslovakia"], None, "withheld_by_publisher"),
    }
    assert query(db, "select reasons from quarantine") == [(["unparseable_number"],)]  # 'a lot' is no number


def test_unmapped_names_kept_in_the_list_are_quarantined_visibly(tmp_path: Path):
    """unmapped = "keep": a name no code stands for stays in the list, so the row waits in quarantine naming it."""
    db, result = _ingest(tmp_path, unmapped="keep", rows=ROWS[:2])
    assert result["rows_loaded"] == 0
    raws = query(db, "select reasons, raw_record from quarantine order by line_no")
    assert [r[0] for r in raws] == [["unknown_country"], ["unknown_country"]]
    assert "German Democratic Republic" in raws[0][1] and "NATO" in raws[1][1]


@pytest.mark.parametrize("spec, said", [
    ("designation = { columns_matching = 'Member[A-Z]' }", "columns_matching fills a list field"),
    ("participating_iso3 = { columns_matching = 'Member[' }", "not a valid regular expression"),
    ("participating_iso3 = { columns_matching = 'Member[A-Z]', map = \"countries\", unmapped = \"null\" }",
     "keep or apart"),
    ("troops = { column = \"Troops (thousands)\", scale = 0 }", "scale must be a number other than 0"),
    ("troops = { value = \"5\", missing = [\"-9\"] }", "missing applies only with column"),
    ("troops = { column = \"Troops (thousands)\", unmapped = \"apart\", map = \"countries\" }",
     "apart\" applies only with columns_matching"),
])
def test_a_mistaken_transform_is_one_line(tmp_path: Path, spec: str, said: str):
    name = spec.split(" =", 1)[0]
    lines = [line for line in PROFILE.splitlines() if not line.startswith(f"{name} =")]
    line, _ = profile_mistake(tmp_path, "\n".join(lines) + "\n" + spec + "\n", HEADER + ROWS[0] + "\n",
                              data_name="t.csv", db_name="w.duckdb")
    assert said in line and "bad.toml" in line and name in line


def test_the_worked_example_of_the_docs_loads_as_the_docs_say(tmp_path: Path):
    """docs/profiles.md, "Transforms": the example file with its profile folder, row by row as its table says."""
    from support import REPO

    db = tmp_path / "compiled.duckdb"
    result = ingest_json(db, REPO / "docs" / "examples" / "exercises_compiled.csv", "--profiles",
                         REPO / "docs" / "examples" / "profiles")[0]
    assert (result["profile"], result["rows_read"], result["rows_loaded"], result["rows_quarantined"]) == (
        "example-exercises-compiled", 4, 3, 1)
    rows = {r[0]: r[1:] for r in query(db, """
        select notice_id, designation, start_date::varchar, start_date_precision, end_date::varchar,
               end_date_precision, troops, troops_status, participating_iso3, participants_unmapped
        from exercise_notices""")}
    assert rows == {
        "EX-1": ("Spring Shield", "1991-04-01", "month", "1991-04-20", "day", 2500, "reported", ["POL"],
                 ["Czechoslovakia"]),
        "EX-2": (None, "1992-11-01", "month", "1992-11-30", "day", None, "missing", ["DEU"], None),
        "EX-3": ("Autumn Watch", "1993-01-01", "year", "1993-01-01", "year", None, "missing", ["FRA", "ESP", "ITA"],
                 None),
    }
    assert query(db, "select line_no, reasons from quarantine") == [(5, ["end_before_start"])]


def test_unknown_date_parts_are_not_for_crossings(tmp_path: Path):
    profile = ('[dates]\nunknown = ["xx"]\n' + """
[profile]
name = "c"
dataset = "crossings"
[fields]
location_id = "A"
direction = { value = "inbound" }
period = "B"
period_granularity = { value = "day" }
measure = { value = "persons" }
value = "C"
""")
    line, _ = profile_mistake(tmp_path, profile, "A,B,C\nX,2024-01-xx,1\n", profile_name="crossings.toml",
                              data_name="c.csv", db_name="w.duckdb")
    assert "[dates] unknown applies to exercise_notices and infrastructure_projects only" in line
