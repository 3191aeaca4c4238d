"""Shared parts of the synthetic demo generator (generate_synthetic.py): output notes, withheld markers, text and
geometry helpers, and the invented anchor places."""
from __future__ import annotations

import csv
import io
import json
import math
from datetime import date
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
