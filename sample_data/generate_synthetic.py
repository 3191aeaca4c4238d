#!/usr/bin/env python3
"""Generate borderlens' SYNTHETIC demo inputs, deterministically.

Everything this script writes is invented for the borderlens demo: none of it is a real exercise
notice, a real infrastructure project or a real border-guard / customs figure. Every output says so
in the data itself (a `synthetic` column or top-level `"synthetic": true`, designations and names
prefixed "SYNTHETIC", and a `notes`/`description` text). Licence of the outputs: CC0-1.0.

Outputs (relative to the sample_data folder, or to --out):
  notices/exercise_notices_demo.csv            borderlens exercise-notice template, CSV
  notices/exercise_notices_demo.json           the same template, JSON
  projects/infrastructure_projects_demo.csv    borderlens infrastructure-project template, CSV
  projects/infrastructure_projects_demo.geojson  the same template, GeoJSON (RFC 7946)
  crossings/mirror_neighbour_counts_demo.csv   wide European-style layout: the neighbour's own
                                               counts (CAN, MEX) of six real BTS ports
  crossings/eu_border_guard_crossings_demo.csv wide layout: invented border-guard counts (FIN, EST, POL)

The mirror file is derived from the real BTS file crossings/bts_border_crossing_entry_data_2023-01_2025-02.csv
(read from the sample_data folder, never from --out), multiplied by invented factors.

Deterministic: seeded `random.Random` instances, no clock, no environment, stable ordering, '\n' line
endings, UTF-8 without BOM. Running it twice gives byte-identical files; a test checks that the committed
files are what this script writes. Standard library only.

Usage:  python sample_data/generate_synthetic.py [--out DIR]
"""
from __future__ import annotations

import argparse
import csv
import io
import json
import math
import random
from datetime import date, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
BTS_FILE = HERE / "crossings" / "bts_border_crossing_entry_data_2023-01_2025-02.csv"

SYNTHETIC_NOTE = "SYNTHETIC — invented for the borderlens demo, not a real notice."
SYNTHETIC_PROJECT = "SYNTHETIC — invented for the borderlens demo, not a real project."
INVALID = "INVALID (deliberate, demo):"

# Publisher-withheld markers of the templates (docs/templates/*). Several are used on purpose.
W_PLAIN, W_BRACKET, W_REDACTED, W_CLASSIFIED, W_BLOCK = "withheld", "[withheld]", "REDACTED", "classified", "█████"


# --------------------------------------------------------------------------------------------- helpers
def write_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        fh.write(text)


def csv_text(rows: list[list], delimiter: str = ",") -> str:
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delimiter, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    for r in rows:
        w.writerow(["" if v is None else v for v in r])
    return buf.getvalue()


def r5(x: float) -> float:
    """Round to 5 decimals (about 1 m), as the templates require."""
    return round(x + 0.0, 5)


def fmt_coord(x) -> str:
    if isinstance(x, str):
        return x
    s = f"{r5(x):.5f}".rstrip("0").rstrip(".")
    return s if s not in ("-0", "") else "0"


def km_to_deg(lat: float, dx_km: float, dy_km: float) -> tuple[float, float]:
    return dx_km / (111.32 * math.cos(math.radians(lat))), dy_km / 110.57


def ellipse(lon: float, lat: float, a_km: float, b_km: float, rot_deg: float, n: int = 16) -> dict:
    """RFC 7946 Polygon: an ellipse around (lon, lat); exterior ring counter-clockwise, closed."""
    ring = []
    t = math.radians(rot_deg)
    for i in range(n):
        ang = 2 * math.pi * i / n
        x, y = a_km * math.cos(ang), b_km * math.sin(ang)
        xr, yr = x * math.cos(t) - y * math.sin(t), x * math.sin(t) + y * math.cos(t)
        dlon, dlat = km_to_deg(lat, xr, yr)
        ring.append([r5(lon + dlon), r5(lat + dlat)])
    ring.append(list(ring[0]))
    return {"type": "Polygon", "coordinates": [ring]}


def box(lon: float, lat: float, half_w_km: float, half_h_km: float) -> dict:
    dlon, dlat = km_to_deg(lat, half_w_km, half_h_km)
    w, e, s, n = r5(lon - dlon), r5(lon + dlon), r5(lat - dlat), r5(lat + dlat)
    return {"type": "Polygon", "coordinates": [[[w, s], [e, s], [e, n], [w, n], [w, s]]]}


def gj(geom: dict | None) -> str:
    return "" if geom is None else json.dumps(geom, separators=(",", ":"))


def d(s: str) -> date:
    return date.fromisoformat(s)


def thousands(v: int) -> str:
    """European style: '.' as thousands separator (12.345, 1.234.567)."""
    return f"{v:,}".replace(",", ".")


# ============================================================================== B. exercise notices
# Anchors: centre points near real land borders of the OSCE area. dist = approximate distance in km to
# the nearest land border (Natural Earth 10m), checked when the anchors were chosen; r = largest
# semi-axis in km for the exercise-area polygon, kept well inside the notifying state.
ANCHORS = {
    # key: (lon, lat, area name, dist_km, r_km)
    "fin_miehikkala": (27.70, 60.67, "Miehikkälä training area, Kymenlaakso (near Vaalimaa)", 13, 5),
    "fin_lappee": (28.30, 61.10, "Taipalsaari–Lappeenranta area, South Karelia", 21, 8),
    "fin_ilomantsi": (30.90, 62.70, "Ilomantsi, North Karelia", 24, 9),
    "fin_salla": (28.62, 66.80, "Salla, Lapland", 21, 8),
    "fin_valkeala": (26.80, 60.95, "Valkeala, Kouvola", 70, 14),
    "fin_rovajarvi": (26.30, 66.60, "Rovajärvi training area, Lapland", 104, 18),
    "fin_parola": (24.37, 61.05, "Parola–Hattula, Kanta-Häme", 195, 12),
    "rus_kamenka": (29.25, 60.62, "Kamenka training ground, Leningrad Oblast", 51, 15),
    "rus_alakurtti": (30.35, 66.96, "Alakurtti, Murmansk Oblast", 50, 15),
    "rus_pechenga": (31.20, 69.55, "Pechenga, Murmansk Oblast", 11, 5),
    "rus_strugi": (29.10, 58.30, "Strugi Krasnye training ground, Pskov Oblast", 90, 16),
    "rus_pskov": (28.33, 57.82, "Pskov area, Pskov Oblast", 32, 12),
    "rus_luga": (29.85, 58.73, "Luga training ground, Leningrad Oblast", 118, 20),
    "rus_pravdinsk": (21.05, 54.55, "Pravdinsk training ground, Kaliningrad Oblast", 17, 7),
    "rus_chern": (21.80, 54.63, "Chernyakhovsk, Kaliningrad Oblast", 29, 11),
    "rus_sertolovo": (30.20, 60.15, "Sertolovo, Leningrad Oblast", 125, 12),
    "rus_kingisepp": (28.75, 59.30, "Kingisepp, Leningrad Oblast", 33, 12),
    "est_narva": (27.55, 59.35, "Ida-Viru County, west of Narva", 21, 8),
    "est_tapa": (25.90, 59.30, "Central training area, Tapa", 102, 15),
    "est_nursipalu": (26.85, 57.72, "Nursipalu training area, Võru County", 10, 4),
    "lva_adazi": (24.35, 57.08, "Ādaži training area", 78, 14),
    "lva_daug": (26.50, 55.90, "Daugavpils area, Latgale", 20, 7),
    "lva_rezekne": (27.30, 56.50, "Rēzekne area, Latgale", 43, 14),
    "ltu_pabrade": (25.65, 55.02, "Pabradė training area", 16, 6),
    "ltu_rukla": (24.20, 55.03, "Gaižiūnai training area, Rukla", 89, 15),
    "ltu_salcin": (25.20, 54.38, "Šalčininkai district", 14, 5),
    "pol_orzysz": (21.95, 53.80, "Bemowo Piskie training area, Orzysz", 63, 15),
    "pol_kuznica": (23.40, 53.45, "Sokółka county near Kuźnica, Podlaskie Voivodeship", 18, 7),
    "pol_biala": (23.10, 52.03, "Biała Podlaska county, Lubelskie", 24, 9),
    "pol_hajnowka": (23.55, 52.75, "Hajnówka county, Podlaskie", 18, 7),
    "blr_brest": (23.90, 52.15, "Brest training ground, Brest Region", 19, 7),
    "blr_grodno": (24.00, 53.70, "Grodno area, Grodno Region", 26, 10),
    "blr_obuz": (26.50, 53.00, "Obuz-Lesnovsky training ground, Brest Region", 125, 16),
    "blr_borisov": (28.50, 54.20, "Borisov training ground, Minsk Region", 160, 18),
    "blr_lepel": (28.70, 54.88, "Lepel training ground, Vitebsk Region", 102, 14),
    "blr_polotsk": (28.60, 55.45, "Polotsk training ground, Vitebsk Region", 55, 14),
    "nor_kirkenes": (29.85, 69.60, "Sør-Varanger, Finnmark", 11, 4),
    "nor_porsanger": (25.00, 70.00, "Porsanger (Halkavarre), Finnmark", 52, 15),
    "rou_isaccea": (28.35, 45.12, "Tulcea County, near Isaccea", 20, 7),
    "rou_babadag": (28.70, 44.90, "Babadag training area, Tulcea County", 36, 12),
    "rou_cincu": (24.80, 45.90, "Cincu training area, Brașov County", 201, 15),
    "rou_sighet": (23.95, 47.80, "Maramureș County, south of Sighetu Marmației", 16, 6),
    "rou_suceava": (26.00, 47.70, "Suceava County", 30, 11),
}

# Representative points for notices whose location is given only to region level (rough region centres).
REGION_POINTS = {"rus_luga": (30.5, 59.6), "blr_borisov": (27.9, 53.9), "rus_pskov": (29.2, 57.3)}

# Invented, deliberately unmilitary designations (none is the name of a real exercise).
WORDS_A = ["NORTHERN", "COPPER", "QUIET", "PAPER", "LINEN", "AMBER", "MOSS", "SALT", "TIN", "CHALK",
           "VELVET", "CLAY", "WOOL", "GLASS", "PLUM", "OAT", "HOLLOW", "LANTERN", "CEDAR", "PEWTER"]
WORDS_B = ["RIVER", "HERON", "MEADOW", "OTTER", "KETTLE", "LADDER", "WILLOW", "LARK", "FERN", "PINE",
           "SPARROW", "COMPASS", "BADGER", "HARBOUR", "TEAPOT", "ORCHARD", "THIMBLE", "PEBBLE", "ACORN", "MITTEN"]

PURPOSES = {
    "s": ["Battalion field training exercise", "Company-level live firing", "Territorial defence drill",
          "Border-security training with police and border guard", "Engineer and counter-mobility training"],
    "n": ["Brigade field training exercise", "Command-post and field training exercise",
          "Reinforcement and host-nation support exercise", "River-crossing and counter-mobility exercise"],
    "nt": ["Armoured brigade manoeuvre exercise", "Tank battalion combined-arms live firing"],
    "o": ["Division-level defensive operation", "Combined-arms field training exercise with allies",
          "Mobilisation and deployment of reserve units", "Joint command-post and field training exercise"],
    "oa": ["Mechanised division field training exercise"],
    "l": ["Corps-level defensive and counter-attack exercise", "Large-scale joint exercise of land and air forces"],
    "xl": ["Strategic command-staff exercise of the armed forces", "Large-scale joint strategic exercise"],
    "ab": ["Airborne assault and reinforcement exercise", "Amphibious landing and river-crossing exercise"],
    "air": ["Air defence and air-force training with ground support"],
}

# size class -> ranges (troops, tanks, acvs, artillery, sorties, helicopters)
SIZES = {
    "s": ((1200, 6500), (0, 40), (10, 180), (0, 40), (0, 40), (0, 12)),
    "n": ((9100, 12700), (60, 180), (150, 420), (40, 150), (20, 150), (6, 30)),
    "nt": ((6000, 8500), (255, 290), (200, 400), (40, 120), (10, 60), (4, 16)),
    "o": ((13200, 24500), (120, 280), (300, 480), (80, 220), (40, 190), (10, 40)),
    "oa": ((10500, 12500), (120, 240), (510, 640), (80, 200), (30, 120), (8, 30)),
    "l": ((25500, 38000), (250, 420), (500, 900), (150, 320), (120, 260), (30, 70)),
    "xl": ((41000, 65000), (400, 900), (900, 1800), (300, 600), (200, 400), (50, 120)),
    "ab": ((3000, 4200), (0, 0), (20, 120), (0, 30), (30, 90), (10, 30)),
    "air": ((2500, 4500), (0, 10), (0, 60), (0, 20), (205, 320), (10, 40)),
}

# plan: (state, participants, anchor, start, days, size, lead_days, geo, extras)
#   geo: ellipse | box | point | region
#   extras: obs=False (threshold crossed, none invited) / cal=False / withheld={field: marker} / set={field: value}
CSV_PLAN = [
    ("FIN", "FIN", "fin_valkeala", "2023-03-06", 10, "n", 55, "ellipse", {}),
    ("FIN", "FIN;SWE;NOR", "fin_rovajarvi", "2023-03-20", 12, "o", 60, "ellipse", {}),
    ("EST", "EST;GBR;USA", "est_tapa", "2023-05-08", 14, "o", 50, "box", {"set": {"troops": 13000}}),
    ("LVA", "LVA;CAN;USA", "lva_adazi", "2023-06-05", 10, "n", 46, "ellipse", {}),
    ("LTU", "LTU;DEU;USA", "ltu_rukla", "2023-06-12", 12, "o", 44, "ellipse", {}),
    ("POL", "POL;USA;GBR", "pol_orzysz", "2023-05-15", 14, "l", 70, "box", {}),
    ("POL", "POL", "pol_hajnowka", "2023-08-21", 7, "s", 20, "point", {}),
    ("BLR", "BLR", "blr_brest", "2023-02-13", 5, "n", 0, "ellipse", {"withheld": {"troops": W_CLASSIFIED}}),
    ("BLR", "BLR;RUS", "blr_obuz", "2023-09-11", 8, "o", 48, "ellipse", {}),
    ("RUS", "RUS", "rus_luga", "2023-09-04", 10, "xl", 90, "region",
     {"withheld": {"battle_tanks": W_BLOCK, "artillery": W_BLOCK}}),
    ("RUS", "RUS", "rus_pskov", "2023-04-03", 6, "n", 25, "ellipse", {}),
    ("NOR", "NOR;USA;GBR", "nor_porsanger", "2023-03-13", 10, "n", 50, "ellipse", {}),
    ("ROU", "ROU;USA;FRA", "rou_cincu", "2023-10-16", 12, "o", 45, "box", {}),
    ("ROU", "ROU", "rou_isaccea", "2023-07-10", 5, "s", 15, "point", {}),
    ("FIN", "FIN", "fin_miehikkala", "2024-02-26", 6, "s", 30, "ellipse", {}),
    ("FIN", "FIN;USA", "fin_lappee", "2024-09-16", 10, "n", 43, "ellipse", {"set": {"troops": 9000}}),
    ("EST", "EST", "est_narva", "2024-04-15", 5, "s", 10, "ellipse", {}),
    ("EST", "EST;FRA;GBR", "est_nursipalu", "2024-05-20", 12, "nt", 48, "ellipse", {}),
    ("LVA", "LVA", "lva_daug", "2024-08-19", 7, "s", 35, "point", {}),
    ("LVA", "LVA;USA;CAN", "lva_rezekne", "2024-10-07", 10, "oa", 30, "ellipse", {"cal": False}),
    ("LTU", "LTU", "ltu_salcin", "2024-03-18", 4, "s", 12, "ellipse", {}),
    ("LTU", "LTU;DEU;NLD", "ltu_pabrade", "2024-06-03", 10, "o", 47, "ellipse", {"obs": False}),
    ("POL", "POL;USA", "pol_orzysz", "2024-03-04", 14, "o", 50, "ellipse", {}),
    ("POL", "POL;USA;GBR;DEU", "pol_orzysz", "2024-05-13", 16, "l", 75, "box", {}),
    ("POL", "POL", "pol_kuznica", "2024-06-17", 10, "o", 21, "ellipse", {"withheld": {"location": W_PLAIN}}),
    ("POL", "POL;LTU", "pol_biala", "2024-10-14", 8, "o", 45, "ellipse", {}),
    ("BLR", "BLR", "blr_grodno", "2024-03-25", 5, "n", 0, "ellipse", {"withheld": {"location": W_PLAIN}}),
    ("BLR", "BLR", "blr_lepel", "2024-07-08", 8, "nt", 44, "ellipse", {}),
    ("RUS", "RUS", "rus_kamenka", "2024-02-19", 7, "o", 0, "ellipse",
     {"obs": False, "withheld": {"troops": W_REDACTED}}),
    ("RUS", "RUS", "rus_chern", "2024-08-12", 6, "n", 12, "ellipse", {}),
    ("RUS", "RUS", "rus_pechenga", "2024-10-21", 5, "ab", 50, "ellipse",
     {"set": {"troops": 3800}, "withheld": {"observers_invited": W_BRACKET}}),
    ("NOR", "NOR", "nor_kirkenes", "2024-11-04", 4, "s", 22, "point", {}),
    ("ROU", "ROU;USA", "rou_babadag", "2024-05-06", 10, "n", 50, "box", {}),
    ("ROU", "ROU", "rou_sighet", "2024-09-09", 5, "s", 30, "ellipse", {}),
    ("FIN", "FIN;SWE", "fin_ilomantsi", "2025-03-10", 8, "o", 50, "ellipse", {}),
    ("FIN", "FIN;NOR;SWE;USA", "fin_rovajarvi", "2025-03-03", 14, "o", 62, "box", {}),
    ("FIN", "FIN", "fin_salla", "2025-11-10", 5, "s", 38, "ellipse", {}),
    ("EST", "EST;GBR", "est_tapa", "2025-05-12", 12, "n", 44, "ellipse", {}),
    ("LTU", "LTU;DEU", "ltu_rukla", "2025-05-19", 10, "o", 52, "ellipse", {}),
    ("LVA", "LVA", "lva_adazi", "2025-09-15", 8, "ab", 42, "ellipse", {"set": {"troops": 3200}}),
    ("POL", "POL;USA", "pol_biala", "2025-09-15", 10, "l", 20, "ellipse", {}),
    ("RUS", "RUS", "rus_alakurtti", "2025-02-10", 7, "o", 46, "ellipse", {}),
    ("RUS", "RUS", "rus_pskov", "2025-04-07", 10, "l", 44, "ellipse", {"withheld": {"location": W_BRACKET}}),
    ("RUS", "RUS", "rus_pravdinsk", "2025-06-16", 6, "o", 30, "ellipse", {"obs": False, "cal": False}),
    ("RUS", "RUS", "rus_kingisepp", "2025-09-01", 14, "o", 45, "ellipse", {}),
    ("RUS", "RUS", "rus_luga", "2025-09-08", 12, "xl", 100, "box",
     {"withheld": {"battle_tanks": W_CLASSIFIED, "acvs": W_CLASSIFIED}}),
    ("RUS", "RUS", "rus_strugi", "2025-09-10", 9, "l", 43, "ellipse", {}),
    ("RUS", "RUS", "rus_pechenga", "2025-09-09", 7, "o", 14, "ellipse", {}),
    ("RUS", "RUS", "rus_sertolovo", "2025-11-17", 6, "l", 0, "ellipse", {}),
    ("BLR", "BLR;RUS", "blr_borisov", "2025-09-08", 10, "xl", 60, "region", {"withheld": {"troops": W_BLOCK}}),
    ("BLR", "BLR", "blr_brest", "2025-04-14", 6, "o", 9, "ellipse", {"withheld": {"observers_invited": W_REDACTED}}),
    ("BLR", "BLR", "blr_polotsk", "2025-06-23", 7, "o", 45, "ellipse", {}),
    ("POL", "POL;USA;DEU", "pol_orzysz", "2026-05-11", 14, "o", 60, "ellipse", {}),
    ("FIN", "FIN", "fin_parola", "2026-06-08", 8, "s", 50, "ellipse", {"set": {"troops": 8950}}),
    ("ROU", "ROU;USA;FRA;ITA", "rou_cincu", "2026-04-20", 12, "l", 70, "box", {}),
    ("NOR", "NOR;USA;GBR;DEU", "nor_porsanger", "2026-03-09", 12, "o", 80, "ellipse", {}),
    ("LTU", "LTU", "ltu_pabrade", "2026-10-05", 5, "n", 44, "ellipse", {}),
]

JSON_PLAN = [
    ("BLR", "BLR;RUS", "blr_obuz", "2024-09-16", 10, "l", 50, "ellipse", {"withheld": {"troops": W_CLASSIFIED}}),
    ("BLR", "BLR", "blr_grodno", "2025-08-18", 5, "n", 0, "ellipse", {}),
    ("BLR", "BLR", "blr_brest", "2026-02-09", 6, "o", 40, "ellipse", {"withheld": {"location": W_REDACTED}}),
    ("RUS", "RUS", "rus_kamenka", "2026-03-16", 7, "o", 46, "ellipse", {}),
    ("RUS", "RUS;BLR", "rus_pskov", "2026-09-14", 10, "xl", 120, "region", {"withheld": {"battle_tanks": W_BLOCK}}),
    ("RUS", "RUS", "rus_chern", "2023-06-05", 5, "s", 0, "point", {}),
    ("NOR", "NOR", "nor_kirkenes", "2025-02-03", 4, "s", 25, "ellipse", {}),
    ("NOR", "NOR;FIN;SWE", "nor_porsanger", "2024-03-04", 12, "o", 55, "box", {"withheld": {"observers_invited": W_PLAIN}}),
    ("ROU", "ROU", "rou_suceava", "2025-06-02", 6, "n", 44, "ellipse", {}),
    ("ROU", "ROU;USA", "rou_isaccea", "2025-10-13", 5, "air", 40, "ellipse", {}),
    ("EST", "EST", "est_narva", "2025-10-06", 4, "s", 15, "ellipse", {}),
    ("EST", "EST;GBR;FRA", "est_nursipalu", "2026-05-04", 10, "o", 45, "ellipse", {}),
    ("LVA", "LVA;USA", "lva_rezekne", "2025-04-21", 8, "n", 43, "ellipse", {}),
    ("LVA", "LVA", "lva_daug", "2026-08-10", 6, "nt", 35, "ellipse", {"cal": False}),
    ("LTU", "LTU;POL", "ltu_salcin", "2025-10-20", 5, "n", 41, "ellipse", {}),
    ("LTU", "LTU;USA", "ltu_rukla", "2023-10-09", 10, "n", 50, "box", {}),
    ("POL", "POL", "pol_hajnowka", "2025-02-17", 6, "s", 7, "ellipse", {}),
    ("POL", "POL;USA", "pol_kuznica", "2023-10-02", 8, "n", 43, "ellipse", {}),
    ("FIN", "FIN", "fin_miehikkala", "2023-11-27", 3, "s", 5, "point", {}),
    ("FIN", "FIN;USA", "fin_valkeala", "2026-09-21", 10, "o", 60, "ellipse", {}),
    ("POL", "POL;USA;GBR", "pol_orzysz", "2025-05-12", 14, "o", 55, "ellipse", {}),
    ("ROU", "ROU;FRA", "rou_babadag", "2024-11-11", 6, "ab", 45, "ellipse", {"set": {"troops": 3600}}),
]

NOTICE_COLUMNS = ["notice_id", "designation", "purpose", "notifying_iso3", "participating_iso3", "notified_on",
                  "start_date", "end_date", "troops", "battle_tanks", "acvs", "artillery", "sorties", "helicopters",
                  "airborne_amphibious", "observers_invited", "in_annual_calendar", "without_advance_notice",
                  "area_name", "lon", "lat", "area_geojson", "location_precision", "synthetic", "notes"]
NUMERIC = ["troops", "battle_tanks", "acvs", "artillery", "sorties", "helicopters"]


def crosses_notification(n: dict) -> bool:
    return (n["troops"] >= 9000 or n["battle_tanks"] >= 250 or n["acvs"] >= 500 or n["artillery"] >= 250
            or n["sorties"] >= 200 or (n["airborne_amphibious"] and n["troops"] >= 3000))


def crosses_observation(n: dict) -> bool:
    return (n["troops"] >= 13000 or n["battle_tanks"] >= 300 or n["acvs"] >= 500 or n["artillery"] >= 250
            or (n["airborne_amphibious"] and n["troops"] >= 3500))


def make_notices(plan, id_prefix: str, rng: random.Random, names: list[str]) -> list[dict]:
    out = []
    seq: dict[int, int] = {}
    for state, parts, anchor, start, days, size, lead, geo, extra in plan:
        start_d = d(start)
        year = start_d.year
        seq[year] = seq.get(year, 0) + 1
        lon0, lat0, area_name, dist, rmax = ANCHORS[anchor]
        rt, rtk, ra, rart, rs, rh = SIZES[size]
        n = {
            "notice_id": f"{id_prefix}-{year}-{seq[year]:03d}",
            "designation": f"SYNTHETIC — {names.pop(0)} {year % 100:02d}",
            "purpose": rng.choice(PURPOSES[size]),
            "notifying_iso3": state,
            "participating_iso3": parts.split(";"),
            "notified_on": (start_d - timedelta(days=lead)).isoformat(),
            "start_date": start_d.isoformat(),
            "end_date": (start_d + timedelta(days=days - 1)).isoformat(),
            "troops": int(round(rng.randint(*rt) / 50.0)) * 50,
            "battle_tanks": rng.randint(*rtk),
            "acvs": rng.randint(*ra),
            "artillery": rng.randint(*rart),
            "sorties": rng.randint(*rs),
            "helicopters": rng.randint(*rh),
            "airborne_amphibious": size == "ab",
            "without_advance_notice": lead == 0,  # a snap inspection: VD para 41
        }
        if lead == 0:
            n["purpose"] = "Snap combat-readiness inspection (no advance notice to the troops)"
        n.update(extra.get("set", {}))
        notifiable = crosses_notification(n)
        observable = crosses_observation(n)
        n["observers_invited"] = observable and extra.get("obs", True) and lead > 0
        n["in_annual_calendar"] = notifiable and extra.get("cal", True) and lead > 0
        # location: jitter the anchor a little so repeated exercises in one area do not coincide
        lon = lon0 + rng.uniform(-0.02, 0.02)
        lat = lat0 + rng.uniform(-0.015, 0.015)
        area = None
        if geo == "ellipse":
            a = rng.uniform(0.6, 1.0) * rmax
            b = rng.uniform(0.5, 1.0) * rmax
            area = ellipse(lon, lat, a, b, rng.choice([0, 15, 30, 45, 60, 75, 90, 120, 150]))
            precision = "exact"
        elif geo == "box":
            area = box(lon, lat, rng.uniform(0.6, 1.0) * rmax, rng.uniform(0.5, 1.0) * rmax)
            precision = "exact"
        elif geo == "point":
            precision = "near"
        else:  # region: a coarse point, no polygon
            lon, lat = REGION_POINTS[anchor]
            area_name = area_name.split(",")[-1].strip()
            precision = "region"
        n.update({"area_name": area_name, "lon": r5(lon), "lat": r5(lat), "area": area,
                  "location_precision": precision, "synthetic": True})
        # notes: what this demo row shows (computed before withholding, only from what stays visible)
        notes = [SYNTHETIC_NOTE]
        withheld = extra.get("withheld", {})
        if lead == 0:
            notes.append("Demo case: notified on the day it started (VD para 41, no advance notice to the troops).")
        elif lead < 42:
            notes.append(f"Demo case: notified {lead} days before the start (less than 42).")
        if "troops" not in withheld and "observers_invited" not in withheld and observable \
                and not n["observers_invited"] and lead > 0:
            notes.append("Demo case: crosses an observation threshold but no observers were invited.")
        if notifiable and lead > 0 and not n["in_annual_calendar"]:
            notes.append("Demo case: notifiable but not in the annual calendar.")
        if "troops" not in withheld and n["troops"] in (9000, 13000):
            notes.append(f"Demo case: exactly {n['troops']:,} troops (thresholds are 'at least').")
        if n["troops"] == 8950:
            notes.append("Demo case: just under the 9,000-troop notification threshold.")
        for field, marker in withheld.items():
            if field == "location":
                n["lon"] = n["lat"] = marker
                n["area"] = None
                n["location_precision"] = None
                area_name = area_name.split(",")[-1].strip()
                n["area_name"] = area_name
            else:
                n[field] = marker
        if withheld:
            notes.append("Withheld by the publisher: " + ", ".join(
                "location" if f == "location" else f for f in withheld) + ".")
        n["notes"] = " ".join(notes)
        out.append(n)
    return out


def notice_csv_row(n: dict) -> list:
    def b(v):
        return v if isinstance(v, str) else ("true" if v else "false")

    def num(v):
        return v if isinstance(v, str) else ("" if v is None else str(v))

    return [n["notice_id"], n["designation"], n["purpose"], n["notifying_iso3"],
            n["participating_iso3"] if isinstance(n["participating_iso3"], str) else ";".join(n["participating_iso3"]),
            n["notified_on"], n["start_date"], n["end_date"],
            *[num(n[f]) for f in NUMERIC],
            b(n["airborne_amphibious"]), b(n["observers_invited"]), b(n["in_annual_calendar"]),
            b(n["without_advance_notice"]), n["area_name"], fmt_coord(n["lon"]), fmt_coord(n["lat"]),
            gj(n["area"]),
            n["location_precision"] or "", b(n["synthetic"]), n["notes"]]


def notice_json_obj(n: dict) -> dict:
    o = {}
    for c in NOTICE_COLUMNS:
        if c == "area_geojson":
            o["area"] = n["area"]
        elif c == "participating_iso3":
            o[c] = list(n[c])
        else:
            o[c] = n[c]
    return o


def build_notices(out: Path) -> None:
    rng = random.Random(20230101)
    names_rng = random.Random(4242)
    pairs = [f"{a} {b}" for a in WORDS_A for b in WORDS_B]
    names_rng.shuffle(pairs)
    names = ["NORTHERN RIVER"] + [p for p in pairs if p != "NORTHERN RIVER"]

    rows = make_notices(CSV_PLAN, "SYN", rng, names)

    def designation(r: dict) -> str:
        # the year suffix follows notified_on, which every invalid row keeps parseable
        return f"SYNTHETIC — {names.pop(0)} {int(r['notified_on'][:4]) % 100:02d}"

    # --- deliberately invalid CSV rows (one reason each), inserted at fixed positions
    def invalid(base_idx: int, new_id: str, notes: str, **changes) -> dict:
        r = dict(rows[base_idx])
        r["participating_iso3"] = list(r["participating_iso3"])
        r["notice_id"] = new_id
        r.update(changes)
        r["designation"] = designation(r)
        r["notes"] = f"{SYNTHETIC_NOTE} {INVALID} {notes}"
        return r

    inv = {}
    # end before start
    inv[9] = invalid(0, "SYN-2023-901", "end_date is before start_date.",
                     start_date="2023-09-18", end_date="2023-09-11", notified_on="2023-08-01")
    # unparseable date
    inv[20] = invalid(22, "SYN-2024-902", "start_date is not a date ('mid-September 2024').",
                      start_date="mid-September 2024", end_date="2024-09-27", notified_on="2024-07-29")
    # unknown country code
    inv[30] = invalid(4, "SYN-2024-903", "notifying_iso3 'XXX' is not an ISO 3166-1 alpha-3 code.",
                      notifying_iso3="XXX", participating_iso3=["XXX", "LTU"],
                      notified_on="2024-08-19", start_date="2024-10-01", end_date="2024-10-09")
    # latitude out of range (digits typed the wrong way round: 59.3 -> 95.3)
    tapa = rows[37]
    inv[38] = invalid(37, "SYN-2025-904", "lat is out of range (95.3..., the digits of 59.3 swapped).",
                      lat=r5(95.0 + (tapa["lat"] - 59.0)), area=None, location_precision="exact",
                      notified_on="2025-06-02", start_date="2025-07-14", end_date="2025-07-20")
    # lat/lon swapped: a Finnish exercise whose point lands in Iran
    val = rows[0]
    inv[47] = invalid(0, "SYN-2025-905", "lon and lat are swapped (the point falls in Iran; "
                      "swapped back it is Valkeala, Finland).", lon=val["lat"], lat=val["lon"], area=None,
                      location_precision="near", notified_on="2025-08-11", start_date="2025-09-29",
                      end_date="2025-10-05")
    # duplicate notice_id, different content
    dup_of = rows[23]
    dup = dict(dup_of)
    dup.update({"troops": dup_of["troops"] + 4200, "end_date": (d(dup_of["end_date"]) + timedelta(days=5)).isoformat(),
                "notes": f"{SYNTHETIC_NOTE} {INVALID} duplicate notice_id: {dup_of['notice_id']} appears twice "
                         f"with different content (troops, end_date)."})
    inv[55] = dup

    final = []
    for i, r in enumerate(rows):
        if i in inv:
            final.append(inv[i])
        final.append(r)

    table = [NOTICE_COLUMNS] + [notice_csv_row(r) for r in final]
    write_text(out / "notices" / "exercise_notices_demo.csv", csv_text(table))

    # --- JSON publisher
    jrng = random.Random(20240202)
    jrows = make_notices(JSON_PLAN, "SYN-J", jrng, names)

    def jinvalid(base_idx: int, new_id: str, notes: str, **changes) -> dict:
        r = dict(jrows[base_idx])
        r["participating_iso3"] = list(r["participating_iso3"])
        r["notice_id"] = new_id
        r.update(changes)
        r["designation"] = designation(r)
        r["notes"] = f"{SYNTHETIC_NOTE} {INVALID} {notes}"
        return r

    jinv = {
        5: jinvalid(4, "SYN-J-2025-901", "troops is negative (-4500).", troops=-4500, battle_tanks=180,
                    notified_on="2025-03-03", start_date="2025-04-14", end_date="2025-04-20"),
        12: jinvalid(12, "SYN-J-2024-902", "troops is not a number ('about 5000').", troops="about 5000",
                     notified_on="2024-07-22", start_date="2024-09-02", end_date="2024-09-06"),
        18: jinvalid(14, "SYN-J-2026-903", "participating_iso3 contains 'XXX', not an ISO 3166-1 alpha-3 code.",
                     participating_iso3=["LTU", "XXX"], notified_on="2026-02-02", start_date="2026-03-16",
                     end_date="2026-03-20"),
    }
    jfinal = []
    for i, r in enumerate(jrows):
        if i in jinv:
            jfinal.append(jinv[i])
        jfinal.append(r)

    head = {
        "template": "borderlens-exercise-notices/1",
        "synthetic": True,
        "publisher": "SYNTHETIC — Demo Exercise Monitor (invented NGO compilation for the borderlens demo)",
        "licence": "CC0-1.0",
        "description": "SYNTHETIC demo data: invented exercise notices, not real notifications. "
                       "Generated by sample_data/generate_synthetic.py.",
    }
    lines = ["{"]
    for k, v in head.items():
        lines.append(f"  {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)},")
    lines.append('  "notices": [')
    objs = [json.dumps(notice_json_obj(r), ensure_ascii=False, separators=(", ", ": ")) for r in jfinal]
    lines.append(",\n".join("    " + o for o in objs))
    lines.append("  ]")
    lines.append("}")
    write_text(out / "notices" / "exercise_notices_demo.json", "\n".join(lines) + "\n")


# ======================================================================= C. infrastructure projects
PROJECT_COLUMNS = ["project_id", "name", "kind", "status", "country_iso3", "countries_iso3", "funders", "budget",
                   "currency", "planned_start", "planned_end", "actual_start", "actual_end", "lon", "lat",
                   "location_precision", "description", "synthetic"]

# Line geometries follow the Natural Earth 10m boundary lines (simplified) or run to a real crossing.
LINES = {
    "pol_blr": [[23.91033, 53.0], [23.85935, 53.06798], [23.89366, 53.15195], [23.80064, 53.24246],
                [23.74297, 53.36548], [23.65163, 53.5]],
    "ltu_blr": [[25.0, 54.13407], [25.07199, 54.1322], [25.1156, 54.14879], [25.15653, 54.17571],
                [25.20624, 54.25679], [25.36975, 54.2479], [25.45936, 54.29891]],
    "lva_blr": [[27.43882, 55.79874], [27.34963, 55.83122], [27.26302, 55.78722], [27.15145, 55.83246],
                [26.98107, 55.82688], [26.90015, 55.77872], [26.82284, 55.70611]],
    "lva_rus": [[27.83208, 57.3], [27.84613, 57.26731], [27.82433, 57.15907], [27.68222, 57.1037],
                [27.74547, 57.06799], [27.75074, 57.04236], [27.71513, 56.9574]],
    "est_rus": [[27.35293, 57.5276], [27.33557, 57.5539], [27.32803, 57.58315], [27.38487, 57.60698],
                [27.38699, 57.62765], [27.37702, 57.65671], [27.38466, 57.67439], [27.40771, 57.68899],
                [27.49039, 57.70462]],
    "fin_rus": [[29.4, 61.38086], [29.3184, 61.33843], [29.20316, 61.2459], [29.13009, 61.21342],
                [28.98085, 61.1681], [28.85548, 61.11268], [28.7976, 61.09684]],
    "usa_mex_nogales": [[-110.8, 31.32724], [-110.94252, 31.33084], [-111.06712, 31.33364]],
    "usa_mex_otay": [[-116.97, 32.5615], [-116.93, 32.5645], [-116.88, 32.569], [-116.85, 32.573]],
    "nor_storskog": [[30.04, 69.727], [30.08, 69.705], [30.11, 69.683], [30.125, 69.666]],
    "rou_ukr_rail": [[26.25, 47.65], [26.2, 47.76], [26.16, 47.86], [26.13, 47.93]],
    "ltu_rail": [[25.29, 54.67], [25.45, 54.66], [25.62, 54.645], [25.78, 54.635]],
    "mex_rail": [[-106.71, 31.72], [-106.70, 31.77], [-106.69, 31.80]],
}

# (id, name, kind, status, country, countries, funders, budget, currency, planned_start, planned_end,
#  actual_start, actual_end, lon, lat, precision, description)
PROJECTS_CSV = [
    ("SYN-P-001", "SYNTHETIC — Laredo commercial bridge lane expansion", "bridge", "under_construction", "USA",
     "USA;MEX", "US General Services Administration;Government of Mexico", 185000000, "USD",
     "2023-04-01", "2026-12-31", "2023-09-15", "", -99.5091, 27.4992, "exact",
     "Four additional northbound truck lanes on an existing Rio Grande bridge at Laredo."),
    ("SYN-P-002", "SYNTHETIC — Laredo cargo inspection hall", "customs", "completed", "USA", "USA",
     "US Customs and Border Protection", 42500000, "USD", "2022-01-10", "2023-12-15", "2022-03-01",
     "2024-02-28", -99.5232, 27.5361, "exact", "Covered inspection hall with 12 docks for commercial vehicles."),
    ("SYN-P-003", "SYNTHETIC — San Ysidro pedestrian processing upgrade", "crossing_point", "completed", "USA",
     "USA;MEX", "US General Services Administration", 96000000, "USD", "2021-06-01", "2023-06-30",
     "2021-09-01", "2023-11-17", -117.0291, 32.5432, "exact", "New southbound and northbound pedestrian halls."),
    ("SYN-P-004", "SYNTHETIC — Otay Mesa camera towers", "surveillance", "planned", "USA", "USA",
     "US Customs and Border Protection", W_PLAIN, "USD", "2026-03-01", "2027-06-30", "", "",
     -116.9402, 32.5563, "near", "Relocatable surveillance towers along the Otay Mesa section; budget withheld."),
    ("SYN-P-005", "SYNTHETIC — El Paso port access road", "road", "under_construction", "USA", "USA",
     "Texas Department of Transportation;US Federal Highway Administration", 38750000, "USD",
     "2024-01-15", "2026-05-31", "2024-04-02", "", -106.4478, 31.7689, "near",
     "Dedicated access road from the interstate to the El Paso port of entry."),
    ("SYN-P-006", "SYNTHETIC — Nogales barrier replacement section", "barrier", "suspended", "USA", "USA",
     "US Department of Homeland Security", W_REDACTED, "USD", "2020-02-01", "2021-12-31", "2020-06-15", "",
     -110.9425, 31.3308, "near", "Replacement of an older barrier section; works suspended, budget redacted."),
    ("SYN-P-007", "SYNTHETIC — Calexico East truck lanes", "customs", "planned", "USA", "USA;MEX",
     "US General Services Administration", 61200000, "USD", "2026-01-01", "2028-12-31", "", "",
     -115.3881, 32.6734, "exact", "Additional commercial inspection lanes."),
    ("SYN-P-008", "SYNTHETIC — Santa Teresa cross-border rail spur", "rail", "planned", "USA", "USA;MEX",
     "New Mexico Border Authority;Government of Mexico", 310000000, "USD", "2027-01-01", "2031-12-31", "", "",
     -106.6794, 31.7839, "near", "Freight rail spur to bypass a city-centre rail crossing."),
    ("SYN-P-009", "SYNTHETIC — Blaine crossing modernisation", "crossing_point", "under_construction", "USA",
     "USA;CAN", "US General Services Administration;Canada Border Services Agency", 142000000, "USD",
     "2023-07-01", "2026-10-31", "2023-10-01", "", -122.7489, 48.9940, "exact",
     "New primary inspection booths and a second southbound lane group."),
    ("SYN-P-010", "SYNTHETIC — Derby Line customs building", "customs", "completed", "USA", "USA",
     "US General Services Administration", 27300000, "USD", "2019-05-01", "2021-09-30", "2019-08-12",
     "2022-03-04", -72.0993, 45.0057, "exact", "Replacement of the port of entry building."),
    ("SYN-P-011", "SYNTHETIC — Buffalo–Niagara bridge plaza", "bridge", "planned", "USA", "USA;CAN",
     "Buffalo and Fort Erie Public Bridge Authority", 225000000, "USD", "2026-09-01", "2030-12-31", "", "",
     -79.0558, 43.0955, "exact", "Plaza rebuild and an extra span lane."),
    ("SYN-P-012", "SYNTHETIC — Detroit tunnel approach road", "road", "completed", "USA", "USA;CAN",
     "Michigan Department of Transportation", 18400000, "USD", "2021-03-01", "2022-10-31", "2021-04-19",
     "2022-11-30", -83.0479, 42.3317, "near", "Realigned approach road and signage."),
    ("SYN-P-013", "SYNTHETIC — Champlain radiation portals", "surveillance", "cancelled", "USA", "USA",
     "US Customs and Border Protection", 6800000, "USD", "2022-04-01", "2023-03-31", "", "",
     -73.4527, 45.0088, "exact", "Cancelled before works started."),
    ("SYN-P-014", "SYNTHETIC — Sweetgrass–Coutts joint facility", "crossing_point", "planned", "USA", "USA;CAN",
     "Canada Border Services Agency;US General Services Administration", 88000000, "USD",
     "2027-04-01", "2029-10-31", "", "", -111.9596, 48.9984, "exact", "Shared inspection facility on the line."),
    ("SYN-P-015", "SYNTHETIC — Houlton port solar canopy", "other", "completed", "USA", "USA",
     "US General Services Administration", 2750000.50, "USD", "2022-05-01", "2022-12-31", "2022-06-06",
     "2023-01-27", -67.7813, 46.1349, "exact", "Solar canopy over the inspection lanes."),
    ("SYN-P-016", "SYNTHETIC — Eastern border fence, Pelkola section", "barrier", "completed", "FIN", "FIN",
     "Finnish Border Guard", 38000000, "EUR", "2023-02-01", "2024-06-30", "2023-03-01", "2024-05-31",
     29.3184, 61.3384, "near", "Fence with patrol road and sensors along a short section of the eastern border."),
    ("SYN-P-017", "SYNTHETIC — Eastern border fence, Vaalimaa section", "barrier", "under_construction", "FIN",
     "FIN", "Finnish Border Guard;EU Border Management and Visa Instrument", 124500000, "EUR",
     "2024-03-01", "2026-12-31", "2024-05-20", "", 27.8402, 60.6021, "near", "Second phase of the eastern fence."),
    ("SYN-P-018", "SYNTHETIC — Lapland surveillance masts", "surveillance", "planned", "FIN", "FIN",
     W_CLASSIFIED, 14200000, "EUR", "2026-05-01", "2027-09-30", "", "", 29.2, 67.4, "region",
     "Camera and radar masts in eastern Lapland; funders withheld."),
    ("SYN-P-019", "SYNTHETIC — South-eastern border barrier, Värska", "barrier", "under_construction", "EST",
     "EST", "Estonian Police and Border Guard Board;EU Border Management and Visa Instrument", 57000000, "EUR",
     "2022-09-01", "2026-12-31", "2023-01-16", "", 27.3841, 57.6151, "near", "Fence and patrol track."),
    ("SYN-P-020", "SYNTHETIC — Narva crossing point rebuild", "crossing_point", "suspended", "EST", "EST;RUS",
     "Government of Estonia", 31000000, "EUR", "2023-05-01", "2025-12-31", "2023-08-01", "",
     28.1988, 59.3770, "exact", "Rebuild of the road crossing point; suspended when vehicle traffic stopped."),
    ("SYN-P-021", "SYNTHETIC — Koidula access road", "road", "completed", "EST", "EST",
     "Estonian Transport Administration", 9600000, "EUR", "2021-04-01", "2022-08-31", "2021-05-03",
     "2022-09-30", 27.5562, 57.8328, "near", "Widened access road with a truck waiting area."),
    ("SYN-P-022", "SYNTHETIC — Latvia–Belarus border fence, Krāslava", "barrier", "completed", "LVA", "LVA",
     "State Border Guard of Latvia", 78000000, "EUR", "2022-08-01", "2024-12-31", "2022-09-05", "2024-11-29",
     27.1515, 55.8325, "near", "Fence along the Belarusian border, Krāslava municipality."),
    ("SYN-P-023", "SYNTHETIC — Terehova customs upgrade", "customs", "under_construction", "LVA", "LVA;RUS",
     "State Revenue Service of Latvia;EU Border Management and Visa Instrument", 12900000, "EUR",
     "2024-02-01", "2025-12-31", "2024-06-10", "", 28.1762, 56.1589, "exact", "New scanners and truck lanes."),
    ("SYN-P-024", "SYNTHETIC — Lithuania–Belarus barrier, Šalčininkai", "barrier", "completed", "LTU", "LTU",
     "State Border Guard Service of Lithuania", 152000000, "EUR", "2021-08-01", "2022-09-30", "2021-08-23",
     "2022-08-30", 25.3698, 54.2479, "near", "Barrier with razor wire along the Šalčininkai district section."),
    ("SYN-P-025", "SYNTHETIC — Medininkai customs post upgrade", "customs", "planned", "LTU", "LTU;BLR",
     "Lithuanian Customs", W_BLOCK, "EUR", "2026-04-01", "2027-12-31", "", "", 25.7637, 54.5419, "exact",
     "Scanner halls and lanes; budget withheld."),
    ("SYN-P-026", "SYNTHETIC — Lithuania–Belarus video surveillance", "surveillance", "under_construction",
     "LTU", "LTU", W_BRACKET, 21500000, "EUR", "2024-01-01", "2026-06-30", "2024-03-11", "",
     25.7, 54.3, "region", "Video surveillance system on the eastern border; funders withheld."),
    ("SYN-P-027", "SYNTHETIC — Podlaskie border barrier, northern section", "barrier", "completed", "POL", "POL",
     "Polish Border Guard;State Treasury of Poland", 353000000, "EUR", "2021-12-01", "2022-06-30",
     "2022-01-25", "2022-06-30", 23.7430, 53.3655, "near", "Steel barrier along the Belarusian border."),
    ("SYN-P-028", "SYNTHETIC — Terespol crossing modernisation", "crossing_point", "under_construction", "POL",
     "POL;BLR", "Government of Poland;EU Cohesion Fund", 67400000, "EUR", "2023-03-01", "2026-06-30",
     "2023-07-03", "", 23.6165, 52.0765, "exact", "New passenger terminal and car lanes."),
    ("SYN-P-029", "SYNTHETIC — Kuźnica freight rail terminal", "rail", "suspended", "POL", "POL;BLR",
     "PKP PLK;Government of Poland", 45500000, "EUR", "2021-01-01", "2023-12-31", "2021-05-10", "",
     23.6532, 53.5128, "near", "Transhipment sidings; suspended."),
    ("SYN-P-030", "SYNTHETIC — Podlaskie electronic barrier", "surveillance", "completed", "POL", "POL",
     "Polish Border Guard", 80000000, "EUR", "2022-10-01", "2023-06-30", "2022-11-07", "2023-07-15",
     23.8540, 53.0680, "near", "Cameras and sensors on the barrier."),
    ("SYN-P-031", "SYNTHETIC — Storskog crossing point renewal", "crossing_point", "planned", "NOR", "NOR;RUS",
     "Norwegian Directorate of Public Construction and Property", 34000000, "EUR", "2027-03-01",
     "2028-11-30", "", "", 30.1253, 69.6664, "exact", "Renewal of the crossing-point building."),
    ("SYN-P-032", "SYNTHETIC — Isaccea Danube road bridge", "bridge", "planned", "ROU", "ROU;UKR",
     "EU Connecting Europe Facility;Government of Romania", 410000000, "EUR", "2027-01-01", "2031-12-31", "", "",
     28.4565, 45.2698, "near", "Road bridge over the Danube to replace a ferry."),
    ("SYN-P-033", "SYNTHETIC — Siret–Porubne road widening", "road", "under_construction", "ROU", "ROU;UKR",
     "EU Interreg NEXT Romania–Ukraine", 15800000, "EUR", "2024-05-01", "2026-04-30", "2024-08-19", "",
     26.0582, 47.9545, "near", "Widening of the access road to the crossing."),
    ("SYN-P-034", "SYNTHETIC — Izmail district humanitarian demining", "demining", "under_construction", "UKR",
     "UKR", W_PLAIN, 4200000, "EUR", "2024-06-01", "2026-12-31", "2024-09-02", "", 28.8, 45.4, "region",
     "Survey and clearance of farmland; funders withheld."),
    ("SYN-P-035", "SYNTHETIC — Chernivtsi border-area demining survey", "demining", "planned", "UKR", "UKR;ROU",
     "Government of Romania;EU", 1900000, "EUR", "2026-04-01", "2026-11-30", "", "", 25.9, 48.2, "region",
     "Non-technical survey of access roads near the Romanian border."),
    ("SYN-P-036", "SYNTHETIC — Sighet–Solotvyno Tisa bridge repair", "bridge", "completed", "ROU", "ROU;UKR",
     "EU Interreg NEXT Hungary–Slovakia–Romania–Ukraine", 3650000, "EUR", "2022-03-01", "2023-05-31",
     "2022-04-04", "2023-08-10", 23.8885, 47.9452, "exact", "Repair of a pedestrian and car bridge."),
    ("SYN-P-037", "SYNTHETIC — Narva riverside emergency helipad", "other", "cancelled", "EST", "EST",
     "Government of Estonia", 850000, "EUR", "2024-04-01", "2024-12-31", "2024-05-06", "",
     28.1890, 59.3800, "exact", "Cancelled after site works had started."),
]

PROJECTS_CSV_INVALID = {
    # insert after the project with this index: (row, reason)
    6: ("SYN-P-901", "SYNTHETIC — Nuevo Laredo rail tunnel", "tunnel", "planned", "USA", "USA;MEX",
        "US General Services Administration", 520000000, "USD", "2027-01-01", "2032-12-31", "", "",
        -99.5268, 27.4949, "near", "kind 'tunnel' is not in the vocabulary."),
    16: ("SYN-P-902", "SYNTHETIC — Nuijamaa customs lanes", "customs", "planned", "FIN", "FIN;RUS",
         "Finnish Customs", 8300000, "EUR", "2026-09-01", "2026-03-31", "", "", 28.5334, 61.0287, "exact",
         "planned_end (2026-03-31) is before planned_start (2026-09-01)."),
    26: ("SYN-P-903", "SYNTHETIC — Lithuania–Belarus patrol road", "road", "under_construction", "LTU", "LTU",
         "State Border Guard Service of Lithuania", "approx. 12 million", "EUR", "2024-04-01", "2025-10-31",
         "2024-06-03", "", 25.5, 54.2, "near", "budget 'approx. 12 million' is not a number."),
    33: ("SYN-P-904", "SYNTHETIC — Galați border police post", "other", "completed", "ROU", "ROU",
         "Romanian Border Police", 1250000, "EUR", "2022-01-01", "2022-12-31", "2022-02-01", "2023-01-31",
         28.0512, 123.4500, "exact", "lat 123.45 is out of range (coordinates out of range)."),
}

# GeoJSON publisher: (id, name, kind, status, country, countries, funders, budget, currency,
#                     planned_start, planned_end, actual_start, actual_end, geometry, precision, description)
PROJECTS_GEOJSON = [
    ("SYN-G-001", "SYNTHETIC — Podlaskie barrier, Białowieża–Kuźnica line", "barrier", "completed", "POL", ["POL"],
     ["Polish Border Guard"], 120000000, "EUR", "2021-12-01", "2022-06-30", "2022-01-25", "2022-06-30",
     ("LineString", "pol_blr"), "near", "Steel barrier along the Belarusian border (line follows the border)."),
    ("SYN-G-002", "SYNTHETIC — Šalčininkai barrier line", "barrier", "completed", "LTU", ["LTU"],
     ["State Border Guard Service of Lithuania", "EU Border Management and Visa Instrument"], 41000000, "EUR",
     "2021-08-01", "2022-09-30", "2021-09-06", "2022-09-15", ("LineString", "ltu_blr"), "near",
     "Barrier along the Belarusian border."),
    ("SYN-G-003", "SYNTHETIC — Krāslava–Daugavpils fence line", "barrier", "under_construction", "LVA", ["LVA"],
     ["State Border Guard of Latvia"], W_REDACTED, "EUR", "2023-01-01", "2026-12-31", "2023-04-03", "",
     ("LineString", "lva_blr"), "near", "Fence along the Belarusian border; budget redacted."),
    ("SYN-G-004", "SYNTHETIC — Latvia–Russia fence, Vecumi section", "barrier", "under_construction", "LVA",
     ["LVA"], ["State Border Guard of Latvia", "EU Border Management and Visa Instrument"], 36500000, "EUR",
     "2023-06-01", "2026-06-30", "2023-09-11", "", ("LineString", "lva_rus"), "near",
     "Fence along the Russian border."),
    ("SYN-G-005", "SYNTHETIC — Estonia–Russia barrier, Setomaa", "barrier", "under_construction", "EST", ["EST"],
     ["Estonian Police and Border Guard Board"], 22000000, "EUR", "2023-01-01", "2026-12-31", "2023-03-20", "",
     ("LineString", "est_rus"), "near", "Fence and patrol track along the land border."),
    ("SYN-G-006", "SYNTHETIC — Imatra–Parikkala fence", "barrier", "completed", "FIN", ["FIN"],
     ["Finnish Border Guard"], 61000000, "EUR", "2023-03-01", "2025-06-30", "2023-05-15", "2025-05-30",
     ("LineString", "fin_rus"), "near", "Fence with patrol road and cameras."),
    ("SYN-G-007", "SYNTHETIC — Nogales barrier lighting", "barrier", "suspended", "USA", ["USA"],
     ["US Department of Homeland Security"], 27500000, "USD", "2020-01-01", "2021-06-30", "2020-05-04", "",
     ("LineString", "usa_mex_nogales"), "near", "Lighting and road along the barrier; suspended."),
    ("SYN-G-008", "SYNTHETIC — Otay Mesa East connector road", "road", "planned", "USA", ["USA", "MEX"],
     ["California Department of Transportation", "US Federal Highway Administration"], 145000000, "USD",
     "2026-06-01", "2029-12-31", "", "", ("LineString", "usa_mex_otay"), "near",
     "Connector road parallel to the border towards a new crossing."),
    ("SYN-G-009", "SYNTHETIC — Kirkenes–Storskog road upgrade", "road", "under_construction", "NOR", ["NOR"],
     ["Norwegian Public Roads Administration"], 19000000, "EUR", "2024-05-01", "2026-09-30", "2024-06-17", "",
     ("LineString", "nor_storskog"), "near", "Upgrade of the road to the Storskog crossing point."),
    ("SYN-G-010", "SYNTHETIC — Suceava–Vicșani rail renewal", "rail", "planned", "ROU", ["ROU", "UKR"],
     ["EU Connecting Europe Facility", "Government of Romania"], 238000000, "EUR", "2026-10-01", "2030-12-31",
     "", "", ("LineString", "rou_ukr_rail"), "near", "Standard- and broad-gauge track renewal to the border."),
    ("SYN-G-011", "SYNTHETIC — Vilnius–Kena line electrification", "rail", "under_construction", "LTU", ["LTU"],
     ["EU Cohesion Fund", "LTG Infra"], 96000000, "EUR", "2022-01-01", "2025-12-31", "2022-07-04", "",
     ("LineString", "ltu_rail"), "near", "Electrification of the line to the Belarusian border."),
    ("SYN-G-012", "SYNTHETIC — Santa Teresa–San Jerónimo freight link", "rail", "cancelled", "MEX", ["MEX", "USA"],
     ["Government of Mexico"], 75000000, "USD", "2021-01-01", "2024-12-31", "", "",
     ("LineString", "mex_rail"), "near", "Cancelled cross-border freight link."),
    ("SYN-G-013", "SYNTHETIC — Narva bridge inspection lanes", "crossing_point", "suspended", "EST", ["EST", "RUS"],
     ["Government of Estonia"], 5200000, "EUR", "2023-09-01", "2024-12-31", "2023-10-02", "",
     ("Point", [28.1976, 59.3774]), "exact", "New lanes at the bridge; suspended."),
    ("SYN-G-014", "SYNTHETIC — Terespol road bridge repair", "bridge", "completed", "POL", ["POL", "BLR"],
     ["Government of Poland"], 7400000, "EUR", "2022-04-01", "2023-04-30", "2022-05-09", "2023-06-02",
     ("Point", [23.6318, 52.0748]), "exact", "Deck repair of the road bridge over the Bug."),
    ("SYN-G-015", "SYNTHETIC — Blaine radar and camera tower", "surveillance", "completed", "USA", ["USA"],
     W_CLASSIFIED, 3100000, "USD", "2022-09-01", "2023-03-31", "2022-10-03", "2023-04-28",
     ("Point", [-122.7545, 48.9972]), "exact", "Camera tower at the crossing; funders withheld."),
    ("SYN-G-016", "SYNTHETIC — El Paso cargo customs annex", "customs", "under_construction", "USA", ["USA", "MEX"],
     ["US General Services Administration"], W_BLOCK, "USD", "2024-02-01", "2026-08-31", "2024-05-06", "",
     ("Point", [-106.4467, 31.7617]), "exact", "Cargo inspection annex; budget withheld."),
    ("SYN-G-017", "SYNTHETIC — Derby Line–Stanstead shared plaza", "crossing_point", "planned", "USA", ["USA", "CAN"],
     ["US General Services Administration", "Canada Border Services Agency"], 52000000, "USD",
     "2027-05-01", "2029-09-30", "", "", ("Point", [-72.0991, 45.0062]), "exact", "Shared inspection plaza."),
    ("SYN-G-018", "SYNTHETIC — Reni district demining", "demining", "completed", "UKR", ["UKR"],
     ["EU", "Government of Romania"], 1150000, "EUR", "2023-05-01", "2024-04-30", "2023-06-05", "2024-03-29",
     ("Point", [28.3, 45.5]), "region", "Clearance of a road corridor near the Romanian border."),
]

PROJECTS_GEOJSON_INVALID = {
    4: ("SYN-G-901", "SYNTHETIC — Luhamaa truck parking", "customs", "on hold", "EST", ["EST"],
        ["Estonian Tax and Customs Board"], 2400000, "EUR", "2024-01-01", "2025-12-31", "2024-03-04", "",
        ("Point", [27.3302, 57.5641]), "exact", "status 'on hold' is not in the vocabulary."),
    13: ("SYN-G-902", "SYNTHETIC — Pasvik observation post", "surveillance", "planned", "NOR", ["NOR"],
         ["Norwegian Armed Forces"], 1800000, "EUR", "2026-05-01", "2026-10-31", "", "",
         ("Point", [209.6, 69.3]), "exact", "longitude 209.6 is out of range (coordinates out of range)."),
}


def project_csv_row(p) -> list:
    (pid, name, kind, status, c, cs, funders, budget, cur, ps, pe, as_, ae, lon, lat, prec, desc) = p
    if isinstance(budget, float):
        b = f"{budget:.2f}"
    else:
        b = str(budget)
    return [pid, name, kind, status, c, cs, funders, b, cur, ps, pe, as_, ae, fmt_coord(lon), fmt_coord(lat), prec,
            desc, "true"]


def check_project_dates(p) -> None:
    status, ps, pe, as_, ae = p[3], p[9], p[10], p[11], p[12]
    if status == "planned":
        assert not as_ and not ae, p[0]
    if status == "completed":
        assert as_ and ae and as_ <= ae, p[0]
    if status in ("under_construction", "suspended"):
        assert as_ and not ae, p[0]
    if status == "cancelled":
        assert not ae, p[0]
    if ps and pe:
        assert ps <= pe, p[0]


def line_midpoint(coords: list) -> list:
    return coords[len(coords) // 2]


def build_projects(out: Path) -> None:
    rows = [PROJECT_COLUMNS]
    for i, p in enumerate(PROJECTS_CSV):
        check_project_dates(p)
        p = p[:-1] + (f"{SYNTHETIC_PROJECT} {p[-1]}",)
        rows.append(project_csv_row(p))
        if i in PROJECTS_CSV_INVALID:
            q = PROJECTS_CSV_INVALID[i]
            q = q[:-1] + (f"{SYNTHETIC_PROJECT} {INVALID} {q[-1]}",)
            rows.append(project_csv_row(q))
    write_text(out / "projects" / "infrastructure_projects_demo.csv", csv_text(rows))

    features = []

    def feature(p):
        (pid, name, kind, status, c, cs, funders, budget, cur, ps, pe, as_, ae, geom, prec, desc) = p
        gtype, ref = geom
        coords = LINES[ref] if isinstance(ref, str) else ref
        props = {"project_id": pid, "name": name, "kind": kind, "status": status, "country_iso3": c,
                 "countries_iso3": cs, "funders": funders, "budget": budget, "currency": cur,
                 "planned_start": ps or None, "planned_end": pe or None, "actual_start": as_ or None,
                 "actual_end": ae or None, "location_precision": prec, "description": desc, "synthetic": True}
        return {"type": "Feature", "id": pid, "properties": props, "geometry": {"type": gtype, "coordinates": coords}}

    for i, p in enumerate(PROJECTS_GEOJSON):
        check_project_dates(p[:13] + (None, None, None, None))
        p = p[:-1] + (f"{SYNTHETIC_PROJECT} {p[-1]}",)
        features.append(feature(p))
        if i in PROJECTS_GEOJSON_INVALID:
            q = PROJECTS_GEOJSON_INVALID[i]
            q = q[:-1] + (f"{SYNTHETIC_PROJECT} {INVALID} {q[-1]}",)
            features.append(feature(q))
    head = {
        "type": "FeatureCollection",
        "template": "borderlens-infrastructure-projects/1",
        "synthetic": True,
        "publisher": "SYNTHETIC — Demo Border Infrastructure Observatory (invented for the borderlens demo)",
        "licence": "CC0-1.0",
        "description": "SYNTHETIC demo data: invented infrastructure projects, not real projects or budgets. "
                       "Generated by sample_data/generate_synthetic.py.",
    }
    lines = ["{"]
    for k, v in head.items():
        lines.append(f"  {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)},")
    lines.append('  "features": [')
    lines.append(",\n".join("    " + json.dumps(f, ensure_ascii=False, separators=(", ", ": ")) for f in features))
    lines.append("  ]")
    lines.append("}")
    write_text(out / "projects" / "infrastructure_projects_demo.geojson", "\n".join(lines) + "\n")


# ========================================================================= D. wide crossings layouts
def months(first: str, last: str) -> list[str]:
    y, m = int(first[:4]), int(first[5:7])
    out = []
    while f"{y:04d}-{m:02d}" <= last:
        out.append(f"{y:04d}-{m:02d}")
        m += 1
        if m == 13:
            y, m = y + 1, 1
    return out


MON = {"Jan": 1, "Feb": 2, "Mar": 3, "Apr": 4, "May": 5, "Jun": 6, "Jul": 7, "Aug": 8, "Sep": 9, "Oct": 10,
       "Nov": 11, "Dec": 12}

MIRROR_PORTS = [
    # (BTS port code, reporter, the reporter's own name of the crossing, measures)
    ("0209", "CAN", "Stanstead – Derby Line", ["Personal Vehicles", "Personal Vehicle Passengers", "Trucks", "Buses"]),
    ("0901", "CAN", "Fort Erie / Niagara Falls – Buffalo",
     ["Personal Vehicles", "Personal Vehicle Passengers", "Trucks", "Buses", "Pedestrians"]),
    ("3004", "CAN", "Douglas / Pacific Highway – Blaine",
     ["Personal Vehicles", "Personal Vehicle Passengers", "Trucks", "Pedestrians"]),
    ("2304", "MEX", "Nuevo Laredo – Laredo", ["Personal Vehicles", "Personal Vehicle Passengers", "Pedestrians", "Trucks"]),
    ("2504", "MEX", "Tijuana (El Chaparral / Puerta México) – San Ysidro",
     ["Personal Vehicles", "Personal Vehicle Passengers", "Pedestrians", "Buses"]),
    ("2402", "MEX", "Ciudad Juárez – El Paso", ["Personal Vehicles", "Personal Vehicle Passengers", "Pedestrians", "Trucks"]),
]
# the stories: months where the neighbour's count differs from the US count by 10-25 %
MIRROR_GAPS = {
    ("2304", "Trucks", "2024-03"): 1.18, ("2304", "Trucks", "2024-04"): 1.22, ("2304", "Trucks", "2024-05"): 1.15,
    ("2504", "Pedestrians", "2023-07"): 0.78, ("2504", "Pedestrians", "2023-08"): 0.80,
    ("0901", "Personal Vehicles", "2024-08"): 1.12,
    ("3004", "Personal Vehicle Passengers", "2023-12"): 0.86,
    ("2402", "Pedestrians", "2024-10"): 0.88,
}
MIRROR_CONFIDENTIAL = {("0209", "Buses", "2023-02"), ("0209", "Buses", "2023-03"), ("0209", "Buses", "2024-01"),
                       ("0901", "Buses", "2024-02")}
MIRROR_NOT_AVAILABLE = {("2402", "Trucks", "2024-11"), ("2402", "Trucks", "2024-12"), ("0901", "Pedestrians", "2023-01")}
MIRROR_BAD_TOTAL = ("0901", "Trucks")


def read_bts() -> dict:
    vals = {}
    with open(BTS_FILE, encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            mon, year = r["Date"].split()
            key = (r["Port Code"].zfill(4), r["Measure"], f"{int(year):04d}-{MON[mon]:02d}")
            vals[key] = vals.get(key, 0) + int(r["Value"])
    return vals


def build_mirror(out: Path) -> None:
    bts = read_bts()
    rng = random.Random(20230601)
    cols = months("2023-01", "2024-12")
    rows = [["reporter", "crossing_point", "crossing_code", "neighbour", "direction", "measure", *cols, "total"]]
    for code, reporter, name, measures in MIRROR_PORTS:
        for measure in measures:
            base = rng.uniform(0.95, 1.04)
            cells, total = [], 0
            for m in cols:
                f = min(1.06, max(0.93, base + rng.uniform(-0.012, 0.012)))
                f = MIRROR_GAPS.get((code, measure, m), f)
                v = bts.get((code, measure, m))
                if (code, measure, m) in MIRROR_CONFIDENTIAL:
                    cells.append("c")
                elif (code, measure, m) in MIRROR_NOT_AVAILABLE or v is None:
                    cells.append(":")
                else:
                    x = int(round(v * f))
                    total += x
                    cells.append(thousands(x))
            if (code, measure) == MIRROR_BAD_TOTAL:
                total += 1000  # a publisher's total that does not add up: the total column is ignored
            rows.append([reporter, name, f"USA-{code}", "USA", "outbound", measure, *cells, thousands(total)])
    write_text(out / "crossings" / "mirror_neighbour_counts_demo.csv", csv_text(rows, delimiter=";"))


# EU border-guard example. Closures (real events; the figures themselves are invented):
#  - Finland closed its road crossings with Russia from 15 December 2023: zeros throughout 2024-2025.
#  - Narva: vehicle traffic stopped from 1 February 2024 (Ivangorod side closed to vehicles): zeros from 2024-02.
#  - Kuźnica (road) closed since November 2021, Bobrowniki since February 2023: zeros.
EU_POINTS = [
    # (reporter, name, code, neighbour, {measure: (level per month per direction, closed_from or None)})
    ("FIN", "Vaalimaa", "FIN-VAALIMAA", "RUS",
     {"Persons": (0, None), "Personal Vehicles": (0, None), "Trucks": (0, None)}),
    ("FIN", "Nuijamaa", "FIN-NUIJAMAA", "RUS", {"Persons": (0, None), "Trucks": (0, None)}),
    ("EST", "Narva", "EST-NARVA", "RUS",
     {"Persons": (62000, None), "Personal Vehicles": (14500, "2024-02"), "Trucks": (1400, "2024-02")}),
    ("EST", "Koidula", "EST-KOIDULA", "RUS",
     {"Persons": (10500, None), "Personal Vehicles": (3400, None), "Trucks": (4300, None)}),
    ("EST", "Luhamaa", "EST-LUHAMAA", "RUS",
     {"Persons": (8200, None), "Personal Vehicles": (2900, None), "Trucks": (5200, None)}),
    ("POL", "Terespol", "POL-TERESPOL", "BLR", {"Persons": (112000, None), "Personal Vehicles": (23500, None)}),
    ("POL", "Koroszczyn", "POL-KOROSZCZYN", "BLR", {"Persons": (24000, None), "Trucks": (21500, None)}),
    ("POL", "Sławatycze", "POL-SLAWATYCZE", "BLR",
     {"Persons": (12800, None), "Personal Vehicles": (5200, None), "Trucks": (70, None)}),
    ("POL", "Kuźnica", "POL-KUZNICA", "BLR", {"Persons": (0, None), "Personal Vehicles": (0, None)}),
    ("POL", "Bobrowniki", "POL-BOBROWNIKI", "BLR", {"Trucks": (0, None)}),
]
SEASON = {1: 0.82, 2: 0.80, 3: 0.92, 4: 0.98, 5: 1.03, 6: 1.10, 7: 1.22, 8: 1.20, 9: 1.02, 10: 0.97, 11: 0.92, 12: 1.02}
EU_CONFIDENTIAL = {("POL-SLAWATYCZE", "Trucks", "inbound", "2024-02"), ("POL-SLAWATYCZE", "Trucks", "inbound", "2024-03"),
                   ("POL-SLAWATYCZE", "Trucks", "outbound", "2024-12"), ("EST-NARVA", "Trucks", "outbound", "2024-01")}
EU_NOT_AVAILABLE = {("EST-KOIDULA", "Persons", "inbound", "2025-06"), ("EST-KOIDULA", "Persons", "outbound", "2025-06"),
                    ("POL-KOROSZCZYN", "Trucks", "outbound", "2024-07")}
EU_INVALID = {("POL-TERESPOL", "Personal Vehicles", "inbound", "2024-09"): "n/a?",
              ("EST-LUHAMAA", "Trucks", "outbound", "2025-02"): "-5"}
EU_UNKNOWN_COUNTRY = ("POL-SLAWATYCZE", "Personal Vehicles", "outbound")  # neighbour written as 'XXX'


def build_eu(out: Path) -> None:
    rng = random.Random(20240101)
    cols = months("2024-01", "2025-06")
    rows = [["reporter", "crossing_point", "crossing_code", "neighbour", "direction", "measure", *cols, "total"]]
    for reporter, name, code, neighbour, measures in EU_POINTS:
        for measure, (level, closed_from) in measures.items():
            for direction in ("inbound", "outbound"):
                dir_f = rng.uniform(0.94, 1.06)
                trend = rng.uniform(-0.004, 0.006)
                cells, total = [], 0
                for i, m in enumerate(cols):
                    key = (code, measure, direction, m)
                    season = SEASON[int(m[5:7])] if measure != "Trucks" else 1 + (SEASON[int(m[5:7])] - 1) * 0.25
                    if closed_from and m >= closed_from:
                        v = 0
                    else:
                        v = int(round(level * dir_f * season * (1 + trend * i) * rng.uniform(0.95, 1.05)))
                    if key in EU_INVALID:
                        cells.append(EU_INVALID[key])
                    elif key in EU_CONFIDENTIAL:
                        cells.append("c")
                    elif key in EU_NOT_AVAILABLE:
                        cells.append(":")
                    else:
                        total += v
                        cells.append(thousands(v))
                nb = "XXX" if (code, measure, direction) == EU_UNKNOWN_COUNTRY else neighbour
                rows.append([reporter, name, code, nb, direction, measure, *cells, thousands(total)])
    write_text(out / "crossings" / "eu_border_guard_crossings_demo.csv", csv_text(rows, delimiter=";"))


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=HERE, help="output folder (default: the sample_data folder)")
    args = ap.parse_args(argv)
    build_notices(args.out)
    build_projects(args.out)
    build_mirror(args.out)
    build_eu(args.out)


if __name__ == "__main__":
    main()
