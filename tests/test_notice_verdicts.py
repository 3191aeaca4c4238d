"""Vienna Document verdicts stored in a release (lead_days, late, notifiable, observation_required and their
paragraphs): judged after the policy, unknown where a withheld value could change the answer, the same in the
release table, its CSV / Parquet / GeoJSON extracts and datapackage.json, on the page and in its sentence.

A small release is built here with the real CLI from a template CSV whose rows each stand for one case; the
expected verdicts are written out per case, and on the demo release they are recomputed in Python from the
extract's own values and vd_thresholds (not the app's SQL)."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import pytest

from support import query, run_cli, write
from test_app_release import no_exception, release_dir, serve_in_apptest  # noqa: F401

VERDICTS = ["lead_days", "late", "late_paragraph", "notifiable", "notifiable_paragraphs", "observation_required",
            "observation_paragraphs"]
HEADER = ["notice_id", "designation", "notifying_iso3", "participating_iso3", "notified_on", "start_date",
          "end_date", "troops", "battle_tanks", "acvs", "artillery", "sorties", "helicopters", "airborne_amphibious",
          "without_advance_notice", "observers_invited", "in_annual_calendar", "lon", "lat", "location_precision",
          "synthetic"]
START = date(2025, 3, 1)
SMALL = {"troops": "2000", "battle_tanks": "10", "acvs": "10", "artillery": "10", "sorties": "10"}
# id: (days of notice or None for a withheld date, numbers over SMALL, airborne, without_advance_notice)
CASES = {
    "V-12K-TANKS-WH": (60, {"troops": "12000", "battle_tanks": "withheld"}, "false", ""),
    "V-5K-TANKS-WH": (60, {"troops": "5000", "battle_tanks": "withheld"}, "false", ""),
    "V-SMALL": (60, {}, "false", "false"),
    "V-LATE-41": (41, {"troops": "9500"}, "false", ""),
    "V-ON-TIME-42": (42, {"troops": "9500"}, "false", "false"),
    "V-SNAP": (0, {"troops": "10300"}, "false", "true"),
    "V-SNAP-AFTER": (-2, {"troops": "10300"}, "false", "true"),
    "V-WAN-WITHHELD-10": (10, {"troops": "10300"}, "false", "withheld"),
    "V-WAN-WITHHELD-50": (50, {"troops": "10300"}, "false", "withheld"),
    "V-DATE-WITHHELD": (None, {"troops": "10300"}, "false", ""),
    "V-DROP": (60, {"troops": "20000"}, "false", ""),
    "V-ROUND": (60, {"troops": "8600"}, "false", ""),
    "V-AIR": (60, {"troops": "3500", "battle_tanks": "0"}, "true", ""),
}
# id: what the release must say (lead_days, late, late_paragraph, notifiable, its paragraphs, observation, its)
EXPECTED = {
    "V-12K-TANKS-WH": (60, "no", "38", "yes", ["40.1.1"], "unknown", ["47.4"]),
    "V-5K-TANKS-WH": (60, "no", "38", "unknown", ["40.1.1"], "unknown", ["47.4"]),
    "V-SMALL": (60, "no", "38", "no", ["40.1.1", "40.1.2"], "no", ["47.4"]),
    "V-LATE-41": (41, "yes", "38", "yes", ["40.1.1"], "no", ["47.4"]),
    "V-ON-TIME-42": (42, "no", "38", "yes", ["40.1.1"], "no", ["47.4"]),
    "V-SNAP": (0, "no", "41", "yes", ["40.1.1"], "no", ["47.4"]),
    "V-SNAP-AFTER": (-2, "yes", "41", "yes", ["40.1.1"], "no", ["47.4"]),
    "V-WAN-WITHHELD-10": (10, "unknown", None, "yes", ["40.1.1"], "no", ["47.4"]),
    "V-WAN-WITHHELD-50": (50, "no", "38", "yes", ["40.1.1"], "no", ["47.4"]),
    "V-DATE-WITHHELD": (None, "unknown", "38", "yes", ["40.1.1"], "no", ["47.4"]),
    # troops dropped by the policy: 'yes' would tell that the hidden troops reach 9,000 (and 13,000)
    "V-DROP": (60, "no", "38", "unknown", ["40.1.1"], "unknown", ["47.4"]),
    # troops 8,600 rounded to 9,000 by the policy: judged unknown, neither the rounded yes nor the hidden no
    "V-ROUND": (60, "no", "38", "unknown", ["40.1.1"], "unknown", ["47.4"]),
    "V-AIR": (60, "no", "38", "yes", ["40.2"], "yes", ["47.4"]),
}
POLICY = """
[policy]
name = "verdict test policy"

[[rule]]
id = "drop-troops"
dataset = "exercise_notices"
action = "drop"
fields = ["troops"]
when = "notice_id = 'V-DROP'"
reason = "the size of this one is sensitive"

[[rule]]
id = "round-troops"
dataset = "exercise_notices"
action = "round_to"
fields = ["troops"]
base = 1000
when = "notice_id = 'V-ROUND'"
reason = "troops to the nearest thousand"
"""


def _rows() -> list[list[str]]:
    rows = []
    for notice_id, (lead, numbers, airborne, unannounced) in CASES.items():
        numbers = {**SMALL, **numbers}
        notified = "withheld" if lead is None else (START - timedelta(days=lead)).isoformat()
        rows.append([notice_id, f"VERDICT {notice_id}", "EST", "EST", notified, START.isoformat(),
                     (START + timedelta(days=5)).isoformat(), *[numbers[k] for k in SMALL], "5", airborne,
                     unannounced, "true", "true", "25.95432", "59.25432", "exact", "true"])
    return rows


@pytest.fixture(scope="module")
def verdict_release(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("verdicts")
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows([HEADER, *_rows()])
    notices = write(folder / "notices.csv", buffer.getvalue())
    policy = write(folder / "policy.toml", POLICY)
    run_cli("ingest", notices, "--db", folder / "work.duckdb")
    run_cli("publish", "--db", folder / "work.duckdb", "--policy", policy, "--out", folder / "release",
            env={"BORDERLENS_PUBLISH_DATE": "2025-06-30"})
    return folder / "release"


def _table(release: Path) -> dict[str, tuple]:
    rows = query(release / "borderlens.duckdb", f"select notice_id, {', '.join(VERDICTS)} from exercise_notices")
    return {r[0]: tuple(list(v) if isinstance(v, list) else v for v in r[1:]) for r in rows}


def test_the_release_table_carries_the_verdicts_of_each_case(verdict_release):
    assert _table(verdict_release) == EXPECTED
    # the policy did its work: the dropped and rounded troops are not what was ingested
    troops = dict(query(verdict_release / "borderlens.duckdb", "select notice_id, troops from exercise_notices"))
    assert troops["V-DROP"] is None and troops["V-ROUND"] == 9000


def _csv_cell(value) -> str:
    if value is None:
        return ""
    return ";".join(value) if isinstance(value, list) else str(value)


def test_every_extract_and_the_datapackage_carry_the_same_verdicts(verdict_release):
    table = _table(verdict_release)
    extracts = verdict_release / "extracts"
    from_csv = pd.read_csv(extracts / "exercise_notices.csv", dtype=str, keep_default_na=False)
    assert {r["notice_id"]: tuple(r[c] for c in VERDICTS) for _, r in from_csv.iterrows()} == {
        k: tuple(_csv_cell(v) for v in values) for k, values in table.items()}
    import pyarrow.parquet as pq

    rows = pq.read_table(extracts / "exercise_notices.parquet").to_pylist()
    parquet = {r["notice_id"]: tuple(r[c] for c in VERDICTS) for r in rows}
    assert parquet == table
    features = json.loads((extracts / "exercise_notices.geojson").read_text(encoding="utf-8"))["features"]
    geojson = {f["properties"]["notice_id"]: tuple(f["properties"][c] for c in VERDICTS) for f in features}
    assert geojson == table
    package = json.loads((verdict_release / "datapackage.json").read_text(encoding="utf-8"))
    resource = next(r for r in package["resources"] if r["name"] == "exercise_notices")
    fields = {f["name"]: f for f in resource["schema"]["fields"]}
    for name in [*VERDICTS, "without_advance_notice", "without_advance_notice_status"]:
        assert fields[name].get("description"), name
    assert fields["lead_days"]["type"] == "integer" and fields["notifiable_paragraphs"]["type"] == "list"


# ------------------------------------------------------------------------------------------------ the page


@pytest.fixture
def verdict_app(verdict_release, monkeypatch):
    """AppTest on the small release, as test_app_release.app_env runs it on the demo release."""
    serve_in_apptest(monkeypatch, verdict_release)
    return verdict_release


def _open(query_params: dict):
    from test_app_release import open_page

    at = open_page("notices", {"from": "2025-01", "to": "2025-06", "rows": "50", **query_params})
    no_exception(at)
    return at


SENTENCES = {
    "V-LATE-41": "notified 41 days ahead: late under para 38",
    "V-ON-TIME-42": "notified 42 days ahead: not late under para 38",
    "V-SNAP": "notified at its start, carried out without advance notice to the troops: not late under para 41",
    "V-SNAP-AFTER": "notified 2 days after its start, though carried out without advance notice to the troops: "
                    "late under para 41",
    "V-DATE-WITHHELD": "notification date withheld: lead time unknown",
    "V-5K-TANKS-WH": "notifiable size unknown",
    "V-12K-TANKS-WH": "notifiable under para 40.1.1",
}


@pytest.mark.parametrize("notice_id", list(SENTENCES))
def test_the_notice_detail_states_the_verdict_in_a_sentence(verdict_app, notice_id):
    at = _open({"notice": notice_id})
    text = re.sub(r"\\(.)", r"\1", at.markdown[-1].value)  # markdown escapes undone
    assert SENTENCES[notice_id] in text.lower()
    detail = dict(at.dataframe[-1].value[["field", "value"]].values)
    assert SENTENCES[notice_id] in " ".join(detail[k] for k in ("Lead time (para 38 / 41)", "Notifiable size (para 40)"))


def test_the_page_and_its_figures_agree_with_the_extract(verdict_app):
    at = _open({})
    page = at.dataframe[0].value.set_index("notice_id")
    extract = pd.read_csv(verdict_app / "extracts" / "exercise_notices.csv", dtype=str,
                          keep_default_na=False).set_index("notice_id")
    assert sorted(page.index) == sorted(extract.index) == sorted(CASES)
    for column in ("notifiable", "observation_required"):  # yes / no / unknown, never False for a withheld count
        assert page[column].to_dict() == extract[column].to_dict(), column
    words = {"yes": "late", "no": "on time"}
    assert {k: v for k, v in page["lead"].items() if extract.loc[k, "late"] in words} == {
        k: words[v] for k, v in extract["late"].items() if v in words}
    metric = {m.label.split(" ")[0]: m.value for m in at.metric}
    assert metric["Late"] == str((extract["late"] == "yes").sum())
    assert metric["Notifiable"] == str((extract["notifiable"] == "yes").sum())
    assert metric["Observable"] == str((extract["observation_required"] == "yes").sum())


# ------------------------------------------------------------------------------------------ the demo release


def test_the_demo_release_verdicts_equal_an_independent_judgement(release_dir):  # noqa: F811
    """Every demo notice's stored verdicts against the rules written here in Python from vd_thresholds, on the
    extract's own values (the demo policy changes no number or date of a notice)."""
    db = Path(release_dir) / "borderlens.duckdb"
    rules = query(db, "select paragraph, metric, operator, value, applies_to from vd_thresholds")
    lead_38 = next(v for p, m, _, v, a in rules if a == "lead_time")
    lead_41 = next(v for p, m, _, v, a in rules if a == "lead_time_without_advance_notice")
    notices = pd.read_parquet(Path(release_dir) / "extracts" / "exercise_notices.parquet")
    assert (notices["without_advance_notice"] == True).sum() >= 2  # noqa: E712 (the demo's snap inspections)
    checked = 0
    for n in notices.to_dict("records"):
        known = {m: (None if pd.isna(n[m]) else n[m]) for m in ("troops", "battle_tanks", "acvs", "artillery", "sorties")}
        airborne = bool(n["airborne_amphibious"]) if not pd.isna(n["airborne_amphibious"]) else False

        def judge(kind: str) -> tuple[str, list[str]]:
            kinds = {kind, f"{kind}_airborne_amphibious"} if airborne else {kind}
            rows = [(p, m, o, v) for p, m, o, v, a in rules if a in kinds]
            met = sorted({p for p, m, o, v in rows if known.get(m) is not None and known[m] >= v})
            open_ = sorted({p for p, m, o, v in rows if known.get(m) is None})
            if met:
                return "yes", met
            return ("unknown", open_) if open_ else ("no", sorted({p for p, *_ in rows}))

        lead = None if pd.isna(n["notified_on"]) else (n["start_date"] - n["notified_on"]).days
        unannounced = n["without_advance_notice"] is True or n["without_advance_notice"] == True  # noqa: E712
        if lead is None:
            late = "unknown"
        else:
            late = "yes" if lead < (lead_41 if unannounced else lead_38) else "no"
        assert (n["late"], n["late_paragraph"]) == (late, "41" if unannounced else "38"), n["notice_id"]
        assert (n["notifiable"], list(n["notifiable_paragraphs"])) == judge("notification"), n["notice_id"]
        assert (n["observation_required"], list(n["observation_paragraphs"])) == judge("observation"), n["notice_id"]
        checked += 1
    assert checked == len(notices) > 20
