"""The Python programs bench/pages.py runs in a fresh process per measurement: WORKER calls each page's query
functions as the server does; APPTEST_WORKER runs each page through Streamlit's AppTest. Kept apart from the
driver because they are source text, not code of the bench."""

# Runs in a fresh process: the calls of one page exactly as the page makes them (default parameters).
WORKER = r"""
import json, sys, time
t0 = time.perf_counter()
from datetime import date
import pandas as pd
from data_pipeline.views import downloads as D, queries as Q
from data_pipeline.views.queries_overview import overview
from data_pipeline.views.queries_transparency import provenance, transparency_view, about_view, revisions_view
from data_pipeline.views.queries_map import map_view
from data_pipeline.views.queries_trends import trends_view, ALL_LOCATIONS
from data_pipeline.views.queries_ranking import ranking
from data_pipeline.views.queries_params import default_period
from data_pipeline.views.queries_notices import notices_view
from data_pipeline.views.queries_projects import projects_view
imports = time.perf_counter() - t0
page, path, warm = sys.argv[1], sys.argv[2], int(sys.argv[3])
release = Q.open_release(path)
LAYERS = ("crossings", "notices", "projects")

def shared():  # app.py, before every page (cached there by st.cache_data)
    meta = Q.release_meta(path)
    options = Q.filter_options(path)
    D.release_files(path)
    provenance(path)
    months = list(options.months)
    first, last = default_period(months) if months else ("1900-01", "9999-12")
    filters = Q.Filters(border=None, countries=(), date_from=date.fromisoformat(f"{first}-01"),
                        date_to=pd.Period(last, freq="M").end_time.date())
    return options, filters

def call():
    options, filters = shared()
    measure = (list(options.measures) or ["people"])[0]
    if page == "overview":
        overview(path, filters, release.created)
    elif page == "map":
        map_view(path, filters, measure, LAYERS)
    elif page == "trends":
        trends_view(path, filters, measure, "month", "total", ALL_LOCATIONS, "")
    elif page == "ranking":
        ranking(path, filters, measure)
    elif page == "notices":
        notices_view(path, filters, None)
    elif page == "infrastructure":
        projects_view(path, filters, "any", ())
    elif page == "transparency":
        transparency_view(path)
    elif page == "about":
        about_view(path)
    elif page == "downloads":
        pass  # D.release_files, already in shared()
    elif page == "revisions":
        revisions_view(path, None)
        D.release_files(path)
    elif page != "app":
        raise SystemExit(f"unknown page {page}")

times = []
for _ in range(1 + warm):
    started = time.perf_counter()
    call()
    times.append(time.perf_counter() - started)
print(json.dumps({"imports": imports, "cold": times[0], "warm": times[1:]}))
"""


# Runs in a fresh process: page views through Streamlit itself (AppTest runs app.py and the page as the server
# does, st.cache_data included). cold = the first view of the page in the process (the entry page's first run,
# which fills app.py's shared caches, is timed apart); warm = K more views, each a new session (a new visitor).
APPTEST_WORKER = r"""
import json, os, sys, time
t0 = time.perf_counter()
import altair, pandas, pydeck  # noqa: F401  the pages' heavy imports, once per server process: reported apart
from streamlit.testing.v1 import AppTest
import data_pipeline.views.queries, data_pipeline.views.charts, data_pipeline.views.downloads  # noqa: F401
imports = time.perf_counter() - t0
page, path, warm = sys.argv[1], sys.argv[2], int(sys.argv[3])
os.environ["BORDERLENS_RELEASE"] = path
# Each AppTest scans the installed packages for Streamlit components in its first run (a server does it once, at
# start): timed here, so that the report can say how much of the entry page's figures it is (about 85 ms with 91
# packages installed). Timed only; the figures still include it.
from streamlit.components.v2.component_manager import BidiComponentManager
scans = []
_discover = BidiComponentManager.discover_and_register_components

def _timed_discover(self, *args, **kwargs):
    started = time.perf_counter()
    try:
        return _discover(self, *args, **kwargs)
    finally:
        scans.append(time.perf_counter() - started)

BidiComponentManager.discover_and_register_components = _timed_discover

def view():
    at = AppTest.from_file("app.py", default_timeout=900)
    started = time.perf_counter()
    at.run()
    entry = time.perf_counter() - started
    if page != "overview":
        started = time.perf_counter()
        at.switch_page(f"pages/{page}.py").run()
    elapsed = time.perf_counter() - started
    if at.exception:
        raise SystemExit(f"{page}: {[e.value for e in at.exception]}")
    return entry, elapsed

entry, cold = view()
warms = [view()[1] for _ in range(warm)]
print(json.dumps({"imports": imports, "entry_cold": entry, "cold": cold, "warm": warms,
                  "component_scan": sorted(scans)[len(scans) // 2] if scans else 0.0}))
"""
