"""Synthetic crossing counts (generate_synthetic.py): the mirror file derived from the real BTS file, and invented
EU border-guard counts."""
from __future__ import annotations

import csv
import random
from pathlib import Path

from synthetic_common import BTS_FILE, csv_text, thousands, write_text

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
