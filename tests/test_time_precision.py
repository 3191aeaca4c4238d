"""The release states how exact its dates are (issue 11, point 2): time_precision is the coarsest precision of a
row's dates as published (MME's exercises known to the month are month, not day), coarsen_time works on dates
published to the month (to the year: 1 January, precision year) and never cuts one to a finer unit (to the week: a
date to the month stays as published, no Monday invented), and only a date the policy coarsened is marked so. Real
CLI, real DuckDB files, the real MME file."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from cube_support import publish
from support import SAMPLE, ingest_json, one_line_error, query, run_cli, write
from test_mme import _read_date, _records
from test_project_partial_dates import EXPECTED as PROJECT_DATES
from test_project_partial_dates import _ingest as ingest_projects

MME = SAMPLE / "exercises" / "mme_v7_multinational_military_exercises_1980-2010.csv"
ORDER = ["day", "week", "month", "year"]


NO_RULE = """[policy]
name = "none"

[[rule]]
id = "nothing"
dataset = "exercise_notices"
action = "drop"
fields = ["area_name"]
when = "notice_id = 'none'"
reason = "a policy needs a rule"
"""
YEARS = """[policy]
name = "years"

[[rule]]
id = "years"
dataset = "exercise_notices"
action = "coarsen_time"
fields = ["start_date", "end_date"]
to = "year"
reason = "test"
"""
WEEKS = """[policy]
name = "weeks"

[[rule]]
id = "weeks"
dataset = "exercise_notices"
action = "coarsen_time"
fields = ["start_date"]
to = "week"
reason = "test"
"""
MONTHS = """[policy]
name = "months"

[[rule]]
id = "months"
dataset = "infrastructure_projects"
action = "coarsen_time"
fields = ["planned_start", "actual_end"]
to = "month"
reason = "test"
"""


@pytest.fixture(scope="module")
def mme_work(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("mme-precision") / "work.duckdb"
    ingest_json(db, MME)
    return db


def _published(folder: Path, db: Path, policy: str, name: str) -> Path:
    """The release database of db published to folder/release under the policy's text (folder/<name>.toml)."""
    return publish(db, folder / "release", policy, f"{name}.toml") / "borderlens.duckdb"


def test_the_release_states_the_precision_mme_published(mme_work, tmp_path: Path):
    """Oracle: the file read by Python's csv module; a notice's time precision is the coarser of its start's and
    end's, as published, and nothing says the policy coarsened it."""
    public = _published(tmp_path, mme_work, NO_RULE, "none")
    expected = {}
    for _, record in _records():
        precisions = [_read_date(record[c])[1] for c in ("StartDate", "EndDate")]
        expected[record["MMEID"]] = max(precisions, key=ORDER.index)
    got = dict(query(public, "select notice_id, time_precision from exercise_notices"))
    assert len(got) > 3600 and all(got[n] == expected[n] for n in got)
    assert {"day", "month"} <= set(got.values())
    assert query(public, "select count(*) from exercise_notices where time_coarsened_to is not null") == [(0,)]

    from data_pipeline.views.queries import Filters
    from data_pipeline.views.queries_notices import notice_detail, notices_page

    january = Filters(date_from=date(1980, 1, 1), date_to=date(1980, 1, 31))
    page = notices_page(str(public.parent), january, "start_asc", None)
    assert not any("coarsened" in note for note in page["location_note"])   # the publisher's month, not a rule's
    detail = dict(zip(*notice_detail(str(public.parent), Filters(), "mme88")[0].to_dict("list").values()))
    assert "coarsened" not in detail.get("Location", "")


def test_coarsening_dates_to_the_month_to_the_year(mme_work, tmp_path: Path):
    public = _published(tmp_path, mme_work, YEARS, "years")
    rows = query(public, """select notice_id, start_date, start_date_precision, end_date, end_date_precision,
                                   time_precision, time_coarsened_to from exercise_notices""")
    assert rows and all(s == date(s.year, 1, 1) and e == date(e.year, 1, 1) for _, s, _, e, *_ in rows)
    assert {(sp, ep, tp, tc) for _, _, sp, _, ep, tp, tc in rows} == {("year", "year", "year", "year")}
    published = {r["MMEID"]: r for _, r in _records()}
    assert all(s.year == _read_date(published[n]["StartDate"])[0].year for n, s, *_ in rows)
    # every date was finer than a year, so every one was coarsened and counted
    [(affected,)] = query(public, "select sum(rows_affected) from redactions where rule_id = 'years'")
    assert affected == 2 * len(rows)
    [(lead,)] = query(public, "select count(*) from exercise_notices where lead_days is not null")
    assert lead == 0


def test_coarsening_a_date_to_the_month_to_the_week_invents_no_day(mme_work, tmp_path: Path):
    """1980-01-xx is the month of January: its Monday (31 Dec 1979) would be a day nobody published. It stays as
    published and is not counted; a date to the day becomes its week's Monday."""
    before = dict(((n, (s, sp)) for n, s, sp in query(
        mme_work, "select notice_id, start_date, start_date_precision from exercise_notices")))
    public = _published(tmp_path, mme_work, WEEKS, "weeks")
    after = {n: r for n, *r in query(public, """select notice_id, start_date, start_date_precision, time_precision,
                                                     time_coarsened_to from exercise_notices""")}
    months = [n for n, (_, p) in before.items() if p == "month"]
    days = [n for n, (_, p) in before.items() if p == "day"]
    assert months and days
    for n in months:
        assert after[n][:3] == [before[n][0], "month", "month"] and after[n][3] is None
    for n in days:
        start = before[n][0]
        assert after[n][0] == date.fromordinal(start.toordinal() - start.weekday())
        assert after[n][1] == "week" and after[n][3] == "week"
        assert after[n][2] in ("week", "month")   # its end may be published to the month
    [(affected,)] = query(public, "select sum(rows_affected) from redactions where rule_id = 'weeks'")
    assert affected == len(days)

    from data_pipeline.views.queries import Filters
    from data_pipeline.views.queries_notices import notices_page

    page = notices_page(str(public.parent), Filters(date_from=date(1980, 1, 1), date_to=date(1980, 1, 31)),
                        "start_asc", None)
    notes = dict(zip(page["notice_id"], page["location_note"]))
    assert "date coarsened to the week" in notes["mme87"] and "coarsened" not in notes["mme88"]


def test_projects_carry_their_published_precision_and_the_policys(tmp_path: Path):
    """A project published to the month is month; coarsened to the month by a rule, one published to the day reads
    'Feb 2001' with the marker, and one already to the month or year is left alone."""
    db, _ = ingest_projects(tmp_path)
    public = _published(tmp_path, db, MONTHS, "months")
    rows = {r[0]: r[1:] for r in query(public, """
        select project_id, planned_start::varchar, planned_start_precision, actual_end::varchar, actual_end_precision,
               time_precision, time_coarsened_to
        from infrastructure_projects""")}
    assert rows["PLAIN"] == ("2001-02-01", "month", "2003-07-01", "month", "month", "month")
    assert rows["SAME-MONTH"] == ("1980-01-01", "month", "1980-01-01", "month", "month", None)
    assert rows["YEAR"] == ("1986-01-01", "year", "1986-01-01", "year", "year", None)
    assert rows["DAY-MONTH"] == ("1980-06-01", "month", None, None, "month", "month")
    assert PROJECT_DATES["DAY-MONTH"][0] == ("1980-06-28", "day")   # so the rule did cut it

    from data_pipeline.views.queries import Filters
    from data_pipeline.views.queries_projects import projects_page

    page = projects_page(str(public.parent), {**Filters().params(), "max_km": None, "statuses": None}, "project_id",
                         None)
    shown = {r.project_id: (r.planned_start_text, r.dates_note) for r in page.itertuples()}
    assert shown["PLAIN"] == ("Feb 2001", "date coarsened to the month")
    assert shown["SAME-MONTH"] == ("Jan 1980", "")


@pytest.mark.parametrize("to, allowed", [("year", True), ("day", False), ("quarter", False)])
def test_coarsen_time_takes_week_month_or_year(mme_work, tmp_path: Path, to: str, allowed: bool):
    policy = write(tmp_path / "p.toml", YEARS.replace('to = "year"', f'to = "{to}"'))
    result = run_cli("publish", "--db", mme_work, "--policy", policy, "--out", tmp_path / "r", check=False)
    if allowed:
        assert result.returncode == 0, result.stderr
    else:
        assert result.returncode == 2
        assert "to must be one of week, month, year" in one_line_error(result)


EMBARGO = """[policy]
name = "embargo"

[[rule]]
id = "recent"
dataset = "exercise_notices"
action = "embargo_days"
fields = ["start_date"]
days = 20
reason = "recent activities wait"
"""


def test_an_embargo_judges_a_date_to_the_month_by_its_last_day(mme_work, tmp_path: Path):
    """Published on 10 Feb 1980 with a 20-day embargo (cutoff 21 Jan): mme87 started on 14 Jan and is out; mme88
    started in 'Jan 1980', maybe on the 31st, so it waits (read as 1 January it would have been let out early)."""
    release = publish(mme_work, tmp_path / "release", EMBARGO, "embargo.toml",
                      env={"BORDERLENS_PUBLISH_DATE": "1980-02-10"})
    public = release / "borderlens.duckdb"
    shown = {n for (n,) in query(public, "select notice_id from exercise_notices where start_date < '1980-02-01'")}
    assert "mme87" in shown and "mme88" not in shown
    january = query(mme_work, """select notice_id, start_date_precision from exercise_notices
                                 where start_date between '1980-01-01' and '1980-01-31'""")
    assert {n for n, p in january if p == "day" and n in shown} and not {n for n, p in january
                                                                          if p == "month" and n in shown}
