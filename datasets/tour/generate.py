"""Writes the fictional Port Galley example data for analyses/feature-tour.yaml.

Port Galley does not exist; every number here is invented. Run once from the project root:
    python3 datasets/tour/generate.py
The output is deterministic (a fixed seed, no clock), so the pins in the analysis stay valid.
"""
import datetime as dt
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))
rng = random.Random(20251)

# districts.csv: ISO-8859-1 (latin-1) bytes, LF line ends.
DISTRICTS = [
    # code, name, population, area_km2, weight (how often residents file requests)
    ("BEL", "Belvédère", 18400, 3.1, 1.0),
    ("CAN", "La Cañada", 12650, 5.4, 0.9),
    ("HAR", "Harbourside", 24100, 2.7, 2.2),
    ("MOL", "Vieux Môle", 9800, 1.2, 0.9),
    ("PEN", "Peñón Heights", 15300, 4.8, 0.8),
    ("OLD", "Old Mill", 11200, 3.9, 1.0),
]
with open(os.path.join(HERE, "districts.csv"), "wb") as f:
    lines = ["district_code,district,population,area_km2"]
    for code, name, pop, area, _ in DISTRICTS:
        lines.append(f"{code},{name},{pop},{area}")
    f.write(("\n".join(lines) + "\n").encode("latin-1"))

# requests.csv: UTF-8, CRLF line ends, day/month/year dates, "NA" and empty cells.
CATEGORIES = [("Pothole", 5), ("Streetlight out", 3), ("Missed collection", 3),
              ("Graffiti", 2), ("Noise", 2), ("Fallen tree", 1)]
CHANNELS = [("phone", 5), ("app", 4), ("web", 2)]
BASE_HOURS = {"Pothole": 40, "Streetlight out": 30, "Missed collection": 14,
              "Graffiti": 55, "Noise": 6, "Fallen tree": 20}


def pick(pairs):
    total = sum(w for _, w in pairs)
    r = rng.uniform(0, total)
    for v, w in pairs:
        r -= w
        if r <= 0:
            return v
    return pairs[-1][0]


rows = []
last_day = dt.date(2026, 2, 28)
n = 0
for i in range(14):
    y, m = 2025 + (i // 12), i % 12 + 1
    first = dt.date(y, m, 1)
    nxt = dt.date(y + (m == 12), m % 12 + 1, 1)
    days = (nxt - first).days
    for _ in range(8 + rng.randint(0, 6) + (3 if m in (1, 2, 12) else 0)):
        n += 1
        opened = first + dt.timedelta(days=rng.randrange(days))
        district = pick([(d[0], d[4]) for d in DISTRICTS])
        category = pick(CATEGORIES)
        channel = pick(CHANNELS)
        escalated = rng.random() < 0.15
        hours = BASE_HOURS[category] * rng.uniform(0.4, 1.6) * (1.8 if escalated else 1.0)
        age = (last_day - opened).days
        r = rng.random()
        status = "cancelled" if r < 0.06 else ("open" if (age < 45 and r < 0.45) or r < 0.10 else "closed")
        closed = ""
        if status == "closed":
            closed = min(opened + dt.timedelta(days=1 + int(hours // 24) + rng.randrange(4)), last_day).isoformat()
        response = f"{hours:.1f}"
        if status == "cancelled" or rng.random() < 0.05:
            response = "NA"
        s = rng.random()
        satisfaction = "" if status != "closed" or s < 0.3 else ("declined" if s < 0.38 else str(rng.randint(2, 5) - (1 if escalated and s < 0.6 else 0)))
        rows.append([f"PG-{n:04d}", opened.strftime("%d/%m/%Y"), district, category, channel, status,
                     closed, response, "true" if escalated else "false", satisfaction])
rows.sort(key=lambda r: (r[1][6:] + r[1][3:5] + r[1][:2], r[0]))
header = ["request_id", "opened", "district_code", "category", "channel", "status", "closed",
          "Response Time (hrs)", "escalated", "satisfaction"]
with open(os.path.join(HERE, "requests.csv"), "w", encoding="utf-8", newline="") as f:
    for r in [header] + rows:
        f.write(",".join(r) + "\r\n")

# crews.csv: semicolons, two lines of preamble, and a header with "Hours" twice
# (regular hours, then overtime), as a spreadsheet export might have it.
with open(os.path.join(HERE, "crews.csv"), "w", encoding="utf-8", newline="") as f:
    f.write("Port Galley Public Works - crew rota (fictional)\n")
    f.write("Hours columns: regular first, overtime second\n")
    f.write("Month;Crews;Hours;Hours\n")
    for i in range(14):
        y, m = 2025 + (i // 12), i % 12 + 1
        crews = 6 + rng.randint(0, 2) + (1 if m in (1, 2, 12) else 0)
        regular = crews * 152.0
        overtime = round(rng.uniform(20, 60) + (90 if m in (1, 2, 12) else 0), 1)
        f.write(f"{y}-{m:02d};{crews};{regular:.1f};{overtime}\n")

# The v2 inputs, from a random generator of their own, so that the files
# above keep their bytes.
rng2 = random.Random(20262)

# rain/*.csv: one file per rain gauge, the same header in each, read as one
# dataset with a glob; one of them gzipped, as archives publish old years.
import gzip
import io
import json

GAUGES = [("HARBOUR", 1.3), ("MILL", 1.0), ("PENON", 0.8)]
os.makedirs(os.path.join(HERE, "rain"), exist_ok=True)
for name, wet in GAUGES:
    lines = ["date,rain_mm"]
    day = dt.date(2025, 1, 1)
    while day <= last_day:
        rain = 0.0 if rng2.random() < 0.55 else round(rng2.expovariate(1 / (6 * wet)), 1)
        lines.append(f"{day.isoformat()},{rain}")
        day += dt.timedelta(days=1)
    text = ("\n".join(lines) + "\n").encode("utf-8")
    if name == "PENON":
        buf = io.BytesIO()
        with gzip.GzipFile(fileobj=buf, mode="wb", filename="", mtime=0) as z:
            z.write(text)
        with open(os.path.join(HERE, "rain", name + ".csv.gz"), "wb") as f:
            f.write(buf.getvalue())
    else:
        with open(os.path.join(HERE, "rain", name + ".csv"), "wb") as f:
            f.write(text)

# grants.json: neighbourhood grants as an API returns them, the records
# under data.items, each with a nested recipient and place.
PURPOSES = ["Street trees", "Youth football", "Flood barriers", "Library hours", "Murals", "Food bank"]
items = []
for i in range(24):
    code = DISTRICTS[i % len(DISTRICTS)][0]
    awarded = dt.date(2025, 1, 1) + dt.timedelta(days=rng2.randrange(420))
    items.append({
        "id": f"GR-{i + 1:03d}",
        "awarded": awarded.isoformat(),
        "amount": round(rng2.uniform(2, 60)) * 500,
        "purpose": PURPOSES[rng2.randrange(len(PURPOSES))],
        "recipient": {"name": f"{PURPOSES[i % len(PURPOSES)]} group {i + 1}", "district": code},
        "matched": rng2.random() < 0.3,
    })
with open(os.path.join(HERE, "grants.json"), "w", encoding="utf-8", newline="\n") as f:
    json.dump({"meta": {"source": "Port Galley open data (fictional)", "count": len(items)},
               "data": {"items": items}}, f, indent=1, ensure_ascii=False)
    f.write("\n")
