"""Synthetic exercise notices (generate_synthetic.py): CSV and JSON in the borderlens template."""
from __future__ import annotations

import json
import random
from datetime import timedelta
from pathlib import Path

from synthetic_common import (ANCHORS, INVALID, REGION_POINTS, SYNTHETIC_NOTE, W_BLOCK, W_BRACKET, W_CLASSIFIED,
                              W_PLAIN, W_REDACTED, box, csv_text, d, ellipse, fmt_coord, gj, r5, write_text)

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
