"""Synthetic infrastructure projects (generate_synthetic.py): CSV and GeoJSON in the borderlens template."""
from __future__ import annotations

import json
from pathlib import Path

from synthetic_common import (INVALID, SYNTHETIC_PROJECT, W_BLOCK, W_BRACKET, W_CLASSIFIED, W_PLAIN, W_REDACTED,
                              csv_text, fmt_coord, write_text)

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
