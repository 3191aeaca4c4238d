"""The release format: which tables and columns a release holds, as a number the app checks before it reads one.

The dashboard's statements read the release's tables by name; a release published by an older (or newer)
borderlens lacks a column they read and would fail mid-page with a binder error. A release says its format in
release.json and release_info; the app and `borderlens serve` refuse any other format in one line that says how
to publish it again. tests/test_release_format.py fails when the release's columns change while this number does
not (tests/golden/release_formats.json keeps each format's tables and columns).
"""

from __future__ import annotations

# 1: the crossings cube, dimension labels and date precisions (schema 011); none before it
# 2: the projects' date precisions (schema 012) and time_coarsened_to (issue 11)
# 3: crossings.series_key and crossing_series.series_key (the app's series key as one integer)
# 4: crossing_months (the crossing figures per series key and month, as the app sums them)
# 5: crossing_months.mirrored_outbound and paired_year_before (each flow once, its year before; found at publish),
#    crossing_series.statuses, place_kind and counted_value (counts and sums by series)
# 6: crossing_reporter_months (the crossing figures per reporter, measure and month, as the app sums them) and
#    crossing_rankings (the Ranking's default answer per measure choice)
# 7: notices_chapter8 (Chapter VIII's counts per notifying state, year and paragraph, made at publish)
RELEASE_FORMAT = 7
FORMAT_KEY = "release_format"


def format_problem(folder, info: dict) -> str | None:
    """One line when the release's format (from its release.json) is not the one this borderlens reads."""
    found = info.get(FORMAT_KEY)
    if found == RELEASE_FORMAT:
        return None
    if isinstance(found, int) and not isinstance(found, bool) and found > RELEASE_FORMAT:
        return (f"{folder} is a release of format {found}, newer than this borderlens reads ({RELEASE_FORMAT}): "
                f"upgrade borderlens to serve it")
    made = f"format {found}" if isinstance(found, int) and not isinstance(found, bool) else "an unnumbered format"
    return (f"{folder} was published by an older borderlens ({made}; this version reads format {RELEASE_FORMAT}): "
            f"publish it again with `borderlens publish`")
