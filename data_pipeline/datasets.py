"""What each canonical dataset stages, keys on and compares: the one place the pipeline learns a dataset's shape."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Dataset:
    name: str
    staged_fields: tuple[str, ...]   # text columns a profile may fill; everything else stays NULL
    required_fields: tuple[str, ...]  # a profile must say where these come from
    key: tuple[str, ...]             # identifies one record across versions of a publication
    scope_key_to_series: bool        # True: a key is unique within a publisher's series only
    free_text_fields: tuple[str, ...] = ()  # kept as published, spaces included (everything else is trimmed)
    # Lists of free text split at ';' (items trimmed, empty ones dropped): the working database keeps each such cell
    # whose items were changed, as published, in cells_as_published (sql/canonical/<dataset>_as_published.sql).
    text_list_fields: tuple[str, ...] = ()
    # Dates outside this window (ISO, inclusive) are implausible: 'date_out_of_range' at ingest, so that a typo
    # such as 'Jan 0000' or year 1200 never reaches a release; a profile widens it with [dates] earliest/latest.
    plausible_dates: tuple[str, str] = ("1900-01-01", "2099-12-31")
    label: str = ""                  # its name on the dashboard ("Border crossings")
    records: str = ""                # what its rows are, in a sentence ("crossing figures")


CROSSINGS = Dataset(
    name="crossings",
    staged_fields=(
        "location_id", "location_name", "region_code", "region_original", "country_iso3",
        "neighbor_iso3", "reporter_iso3", "reporter_org", "direction", "period", "period_granularity",
        "measure", "measure_original", "value", "lat", "lon", "location_precision", "synthetic",
        "place_kind", "period_label", "value_flag",
    ),
    # country_iso3 is not required of a profile: a route or an organisation's area has none (validation still
    # asks for it, row by row, at a crossing point)
    required_fields=("location_id", "direction", "period", "period_granularity", "measure", "value"),
    key=("reporter_iso3", "reporter_org", "place_kind", "location_id", "direction", "period_start",
         "period_granularity", "measure", "dimensions"),
    scope_key_to_series=False,
    free_text_fields=("location_name",),
    label="Border crossings",
    records="crossing figures",
)

EXERCISE_NOTICES = Dataset(
    name="exercise_notices",
    staged_fields=(
        "notice_id", "designation", "purpose", "notifying_iso3", "participating_iso3", "notified_on",
        "start_date", "end_date", "troops", "battle_tanks", "acvs", "artillery", "sorties", "helicopters",
        "airborne_amphibious", "observers_invited", "in_annual_calendar", "without_advance_notice", "area_name",
        "area_geojson", "lat", "lon", "location_precision", "synthetic", "host_iso3", "participants_unmapped",
    ),
    # notifying_iso3 is not required of a profile: a compilation of exercises (MME) does not say who notified; a
    # profile that maps it still has each row checked (unknown_country when empty)
    required_fields=("notice_id", "start_date", "end_date"),
    key=("notice_id",),
    scope_key_to_series=True,
    free_text_fields=("designation", "purpose", "area_name"),
    plausible_dates=("1975-01-01", "2099-12-31"),  # prior notice of manoeuvres began with the Helsinki Final Act
    label="Exercise notices",
    records="exercise notices",
)

INFRASTRUCTURE_PROJECTS = Dataset(
    name="infrastructure_projects",
    staged_fields=(
        "project_id", "name", "kind", "status", "country_iso3", "countries_iso3", "funders", "budget",
        "currency", "planned_start", "planned_end", "actual_start", "actual_end", "geometry_geojson",
        "lat", "lon", "location_precision", "description", "synthetic", "host_iso3",
    ),
    required_fields=("project_id", "name", "kind", "status", "country_iso3"),
    key=("project_id",),
    scope_key_to_series=True,
    free_text_fields=("name", "description"),
    text_list_fields=("funders",),
    label="Infrastructure projects",
    records="infrastructure projects",
)

DATASETS = {d.name: d for d in (CROSSINGS, EXERCISE_NOTICES, INFRASTRUCTURE_PROJECTS)}
# The canonical datasets, in the order every list of them uses (CLI, policy, release, extracts, pages).
DATASET_NAMES = tuple(DATASETS)

# The crossing measures that count people ("people, all modes" on the dashboard: persons, pedestrians and passengers).
# The dashboard's measure choices are each measure and this group; publish stores the Ranking's default answer for
# each of them (crossing_rankings).
PEOPLE_MEASURES = ("persons", "pedestrians", "personal_vehicle_passengers", "bus_passengers", "train_passengers")

# Chapter VIII's notice ids kept per notifying state, year and paragraph in the release's notices_chapter8 (the page
# names these, then "and N more"; release format 7).
CHAPTER8_IDS = 20
