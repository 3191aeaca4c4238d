"""Ingest benchmark: `borderlens ingest` against a plain DuckDB CSV load of the same file.

    .venv/bin/python bench/ingest.py --rows 10000000 [--repeat K] [--keep DIR] [--json]
    .venv/bin/python bench/ingest.py --rows 400000 --gzip --detect --repeat 3   # BTS's full history as shipped

1. Generates, inside DuckDB (COPY ... TO, no Python loop over rows), a CSV of N rows in the BTS "Border
   Crossing Entry Data" layout: header `Port Name,State,Port Code,Border,Date,Measure,Value,Latitude,Longitude,
   Point`, zero-padded 4-digit port codes, the 12 BTS measures, dates like `Jan 2024`. The keys
   (port, month, measure) are a product and therefore unique: the real ports of the sample file (112) and, for
   large N, synthetic ports cloned from them with new codes; 170 months (Nov 2010 - Dec 2024) x 12 measures.
   Values are pseudo-random counts (deterministic: a hash of the row number); by default 0.1% of them are the
   withheld marker `(D)` (loaded, value NULL) and 0.01% are unparseable (`12O`, quarantined), so both the load
   and the quarantine path run. Rows are written in a hashed order, as the publisher's file is not sorted.
2. Runs, each in a fresh subprocess and a fresh database file:
     (a) `borderlens ingest FILE --db NEW.duckdb --json --profile bts-border-crossings`
     (b) `CREATE TABLE t AS SELECT * FROM read_csv('FILE')` (python -c, duckdb default settings)
   With --gzip both read FILE.csv.gz, the CSV gzip-compressed as BTS ships its full history; with --detect the
   ingest names no profile (detection must find bts-border-crossings, or the run does not reconcile).
   and measures for each the wall time of the whole process (start-up and imports included, for both), rows/s,
   and the peak RSS of that child alone (os.wait4 returns the rusage of the one child waited for; getrusage
   RUSAGE_CHILDREN would give the maximum over all children so far).
3. Checks that the ingest reconciled: rows_read == rows_loaded + rows_quarantined == N.
4. Prints a table (wall s, rows/s, peak RSS, CPU s, database size) and the ratios ingest/baseline; `--json`
   prints the same as JSON. With --repeat K each side runs K times, alternating, and the median run is reported.

Exit status: 0 if reconciled (and within --max-ratio / --max-rss-mb when given), 1 otherwise.
Set BORDERLENS_TIMINGS=1 to have the ingest print its per-step timings (shown under the table).
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

from ingest_report import print_table, summary_of

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SAMPLE = ROOT / "sample_data" / "crossings" / "bts_border_crossing_entry_data_2023-01_2025-02.csv"
PROFILE = "bts-border-crossings"
HEADER = ["Port Name", "State", "Port Code", "Border", "Date", "Measure", "Value", "Latitude", "Longitude", "Point"]
MEASURES = [
    "Personal Vehicle Passengers", "Personal Vehicles", "Pedestrians", "Bus Passengers", "Buses", "Trucks",
    "Truck Containers Loaded", "Truck Containers Empty", "Rail Containers Loaded", "Rail Containers Empty",
    "Trains", "Train Passengers",
]
LAST_MONTH = (2024, 12)  # months run backwards from here
MONTHS = 170
GENERATOR_VERSION = 1  # bump when the generated file changes, so that kept files are not reused
# A few real ports, used when the sample file is not there.
FALLBACK_PORTS = [
    ("Jackman", "Maine", "0104", "US-Canada Border", 45.806, -70.397),
    ("Derby Line", "Vermont", "0209", "US-Canada Border", 45.005, -72.099),
    ("Champlain Rouses Point", "New York", "0712", "US-Canada Border", 45.011, -73.453),
    ("Detroit", "Michigan", "3801", "US-Canada Border", 42.332, -83.048),
    ("Blaine", "Washington", "3004", "US-Canada Border", 49.002, -122.757),
    ("Porthill", "Idaho", "3308", "US-Canada Border", 49.000, -116.499),
    ("El Paso", "Texas", "2402", "US-Mexico Border", 31.764, -106.451),
    ("Hidalgo", "Texas", "2305", "US-Mexico Border", 26.100, -98.263),
    ("Nogales", "Arizona", "2604", "US-Mexico Border", 31.334, -110.944),
    ("San Luis", "Arizona", "2608", "US-Mexico Border", 32.485, -114.782),
    ("Calexico", "California", "2503", "US-Mexico Border", 32.679, -115.498),
    ("San Ysidro", "California", "2504", "US-Mexico Border", 32.543, -117.029),
]

BASELINE_CHILD = r"""
import json, sys, time
import duckdb
con = duckdb.connect(sys.argv[2])
con.execute("set enable_progress_bar = false")
started = time.perf_counter()
con.execute("create table t as select * from read_csv(?)", [sys.argv[1]])
statement = time.perf_counter() - started
rows = con.execute("select count(*) from t").fetchall()[0][0]
con.close()
print(json.dumps({"rows": rows, "statement_seconds": statement}))
"""


# ------------------------------------------------------------------------------------------------ generation


def _base_ports(con: duckdb.DuckDBPyConnection) -> None:
    """Table base_ports(b, name, state, code, border, lat, lon): the real ports, numbered from 0."""
    if SAMPLE.is_file():
        con.execute("""
            create temp table base_ports as
            select (row_number() over (order by code) - 1)::bigint as b, *
            from (
                select "Port Code" as code, min("Port Name") as name, min(State) as state, min(Border) as border,
                       min(try_cast(Latitude as double)) as lat, min(try_cast(Longitude as double)) as lon
                from read_csv(?, all_varchar = true, header = true)
                where regexp_full_match("Port Code", '[0-9]{4}')
                group by all
            )
            where lat is not null and lon is not null
        """, [str(SAMPLE)])
    else:
        con.execute("create temp table base_ports "
                    "(b bigint, code varchar, name varchar, state varchar, border varchar, lat double, lon double)")
        con.executemany("insert into base_ports values (?, ?, ?, ?, ?, ?, ?)",
                        [(i, c, n, s, bo, la, lo) for i, (n, s, c, bo, la, lo) in enumerate(FALLBACK_PORTS)])


def generate(path: Path, rows: int, withheld: float, bad: float, months: int = MONTHS) -> dict:
    """Write the CSV in a child process; returns what was generated (ports, months, seconds, bytes).

    A child: Linux keeps a forked child's peak RSS at least at the parent's size when it forked, so a parent
    that had generated 10M rows itself (3.3 GB) would inflate every measured child's peak RSS to that."""
    code = ("import json, sys; sys.path.insert(0, sys.argv[1]); import ingest; from pathlib import Path; "
            "print(json.dumps(ingest.generate_here(Path(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), "
            "float(sys.argv[5]), int(sys.argv[6]))))")
    result = subprocess.run([sys.executable, "-c", code, str(HERE), str(path), str(rows), str(withheld), str(bad),
                             str(months)], capture_output=True, text=True, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def generate_here(path: Path, rows: int, withheld: float, bad: float, months: int = MONTHS) -> dict:
    """Write the CSV in this process (see generate)."""
    started = time.perf_counter()
    con = duckdb.connect()
    con.execute("set enable_progress_bar = false")
    _base_ports(con)
    base = con.execute("select count(*) from base_ports").fetchall()[0][0]
    ports = max(1, math.ceil(rows / (months * len(MEASURES))))
    free_codes = 9999 - base
    if ports > base + free_codes:
        raise SystemExit(f"--rows {rows:,} needs {ports:,} ports of 4-digit codes; at most {base + free_codes:,}")
    # Ports: the real ones first, then clones with the unused 4-digit codes (name and place of a real port).
    con.execute("""
        create temp table ports as
        with free as (
            select lpad(c::varchar, 4, '0') as code,
                   row_number() over (order by c) - 1 as k
            from range(1, 10000) t(c)
            where lpad(c::varchar, 4, '0') not in (select code from base_ports)
        ),
        wanted as (select p from range(0, $ports) t(p))
        select
            w.p,
            case when w.p < $base then b.name else b.name || ' ' || (w.p // $base + 1)::varchar end as name,
            b.state, b.border, b.lat, b.lon,
            case when w.p < $base then b.code else f.code end as code
        from wanted w
        join base_ports b on b.b = w.p % $base
        left join free f on f.k = w.p - $base
    """, {"ports": ports, "base": base})
    measures = ", ".join("'" + m.replace("'", "''") + "'" for m in MEASURES)
    last = LAST_MONTH[0] * 12 + LAST_MONTH[1] - 1
    # Key i = (port * months + month) * 12 + measure: unique (port, date, measure) for every row.
    # Value: a hash of i, so the file is the same on every run; a thin slice is withheld or unparseable.
    copy = f"""
        copy (
            with keys as (
                select i, i // (12 * $months) as p, (i // 12) % $months as m, i % 12 as k,
                       hash(i) as h
                from range(0, $rows) t(i)
            )
            select
                ports.name as "Port Name",
                ports.state as "State",
                ports.code as "Port Code",
                ports.border as "Border",
                strftime(make_date((($last - keys.m) // 12)::bigint, (($last - keys.m) % 12 + 1)::bigint, 1),
                         '%b %Y') as "Date",
                ([{measures}])[keys.k + 1] as "Measure",
                case when keys.h % 1000000 < $withheld then '(D)'
                     when keys.h % 1000000 < $withheld + $bad then '12O'
                     else ((keys.h // 1000000) % 25000)::varchar end as "Value",
                printf('%.3f', ports.lat) as "Latitude",
                printf('%.3f', ports.lon) as "Longitude",
                'POINT (' || ports.lon::varchar || ' ' || ports.lat::varchar || ')' as "Point"
            from keys
            join ports on ports.p = keys.p
            order by hash(keys.i, 'order')
        ) to '{_sql_string(str(path))}' (format csv, header true)
    """
    con.execute(copy, {"rows": rows, "months": months, "last": last,
                       "withheld": round(withheld * 1_000_000), "bad": round(bad * 1_000_000)})
    con.close()
    with open(path, encoding="utf-8") as handle:
        if handle.readline().rstrip("\n") != ",".join(HEADER):
            raise SystemExit(f"{path}: the generated header is not the BTS layout")
    return {"ports": ports, "real_ports": min(ports, base), "months": months if ports > 1 else
            min(months, math.ceil(rows / len(MEASURES))), "measures": len(MEASURES),
            "seconds": round(time.perf_counter() - started, 2), "bytes": path.stat().st_size}


def _sql_string(text: str) -> str:
    return text.replace("'", "''")


# ------------------------------------------------------------------------------------------------ measuring


def run_child(argv: list[str], env: dict | None = None, cwd: Path | None = None) -> dict:
    """Run one child; its own wall time and peak RSS (os.wait4: the rusage of that child alone)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=out, stderr=err, env=env, cwd=cwd)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(), err.read().decode()
    return {"argv": argv, "returncode": proc.returncode, "wall_seconds": wall,
            "peak_rss_mb": usage.ru_maxrss / 1024, "user_seconds": usage.ru_utime, "sys_seconds": usage.ru_stime,
            "stdout": stdout, "stderr": stderr}


def _fail(what: str, result: dict) -> None:
    sys.stderr.write(f"{what} failed (exit {result['returncode']}):\n{result['stderr'][-4000:]}\n")
    raise SystemExit(1)


def borderlens_command() -> list[str]:
    exe = Path(sys.executable).with_name("borderlens")
    if exe.is_file():
        return [str(exe)]
    found = shutil.which("borderlens")
    return [found] if found else [sys.executable, "-m", "data_pipeline"]


def shipped_gzip(csv_path: Path) -> Path:
    """The CSV gzip-compressed beside it (level 6, gzip's default), as a publisher ships a full history; a kept
    one is reused when it is newer than the CSV."""
    packed = csv_path.with_name(csv_path.name + ".gz")
    if not packed.is_file() or packed.stat().st_mtime < csv_path.stat().st_mtime:
        with open(csv_path, "rb") as plain, gzip.open(packed.with_suffix(".part"), "wb", compresslevel=6) as out:
            shutil.copyfileobj(plain, out, 1 << 20)
        packed.with_suffix(".part").replace(packed)
    return packed


def bench_csv(rows: int, workdir: Path, withheld: float, bad: float) -> tuple[Path, dict]:
    """The benchmark CSV of `rows` rows in workdir: a kept one generated the same way is reused."""
    csv_path = workdir / f"bts_bench_{rows}.csv"
    stamp = csv_path.with_name(csv_path.name + ".json")  # how the kept file was generated: reuse it if the same
    wanted = {"rows": rows, "withheld": withheld, "bad": bad, "version": GENERATOR_VERSION}
    generated = None
    if csv_path.is_file() and stamp.is_file():
        previous = json.loads(stamp.read_text())
        if {k: previous.get(k) for k in wanted} == wanted and previous.get("bytes") == csv_path.stat().st_size:
            generated = {**previous, "seconds": 0.0, "reused": True}
    if generated is None:
        generated = generate(csv_path, rows, withheld, bad)
        stamp.write_text(json.dumps({**wanted, **generated}))
    return csv_path, generated


def bench(rows: int, workdir: Path, withheld: float, bad: float, tree: Path | None = None,
          repeat: int = 1, packed: bool = False, detect: bool = False) -> dict:
    csv_path, generated = bench_csv(rows, workdir, withheld, bad)
    if packed:
        csv_path = shipped_gzip(csv_path)
    report = {
        "rows": rows,
        "file": str(csv_path),
        "file_mb": round(csv_path.stat().st_size / 1e6, 1),
        "gzip": packed,
        "detect": detect,
        "generated": generated,
        "repeat": repeat,
        "machine": {"cpus": os.cpu_count(), "memory_gb": _memory_gb(), "platform": platform.platform(),
                    "python": platform.python_version(), "duckdb": duckdb.__version__,
                    "load_average_before": [round(x, 2) for x in os.getloadavg()]},
    }
    command, env = borderlens_command(), None
    if tree:  # another checkout's code, e.g. to compare before and after a change
        command, env = [sys.executable, "-m", "data_pipeline"], {**os.environ, "PYTHONPATH": str(tree)}

    baselines, ingests = [], []
    for _ in range(repeat):  # alternate, so that a change in the machine's load hits both sides alike
        baselines.append(_run_baseline(csv_path, workdir / "baseline.duckdb", rows))
        ingests.append(_run_ingest(command, env, tree, csv_path, workdir / "ingest.duckdb", rows, detect))
    # a machine shared with others: the load during the runs says how far to trust the wall times (the CPU seconds
    # move much less)
    report["machine"]["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    report["baseline"] = summary_of(baselines)
    report["ingest"] = summary_of(ingests)
    report["reconciled"] = all(run["reconciled"] for run in ingests)
    report["ratio_seconds"] = round(report["ingest"]["wall_seconds"] / report["baseline"]["wall_seconds"], 2)
    report["ratio_seconds_best"] = round(min(r["wall_seconds"] for r in ingests)
                                         / min(r["wall_seconds"] for r in baselines), 2)
    report["ratio_peak_rss"] = round(report["ingest"]["peak_rss_mb"] / report["baseline"]["peak_rss_mb"], 2)
    report["ratio_cpu"] = round(report["ingest"]["cpu_seconds"] / report["baseline"]["cpu_seconds"], 2)
    return report


def _fresh(db: Path) -> Path:
    for stale in (db, db.with_name(db.name + ".wal")):
        stale.unlink(missing_ok=True)
    return db


def _run_baseline(csv_path: Path, db: Path, n: int) -> dict:
    result = run_child([sys.executable, "-c", BASELINE_CHILD, str(csv_path), str(_fresh(db))])
    if result["returncode"] != 0:
        _fail("baseline", result)
    out = json.loads(result["stdout"])
    return {**_figures(result, n, out["rows"], db), "statement_seconds": round(out["statement_seconds"], 3)}


def _run_ingest(command: list[str], env: dict | None, tree: Path | None, csv_path: Path, db: Path, n: int,
                detect: bool = False) -> dict:
    argv = [*command, "ingest", str(csv_path), "--db", str(_fresh(db)), "--json"]
    argv += [] if detect else ["--profile", PROFILE]
    result = run_child(argv, env=env, cwd=tree)
    if result["returncode"] != 0:
        _fail("borderlens ingest", result)
    source = json.loads(result["stdout"])["sources"][0]
    read, loaded, quarantined = source["rows_read"], source["rows_loaded"], source["rows_quarantined"]
    return {**_figures(result, n, read, db), "rows_loaded": loaded, "rows_quarantined": quarantined,
            "status": source["status"], "profile": source["profile"],
            "reconciled": read == loaded + quarantined == n and source["profile"] == PROFILE,
            "timings": [line for line in result["stderr"].splitlines() if line.startswith("timing")]}


def _figures(result: dict, n: int, rows: int, db: Path) -> dict:
    wal = db.with_name(db.name + ".wal")
    size = db.stat().st_size + (wal.stat().st_size if wal.exists() else 0)
    return {"command": " ".join(result["argv"]) if "-c" not in result["argv"] else
            "python -c \"create table t as select * from read_csv('FILE')\"",
            "rows": rows, "wall_seconds": round(result["wall_seconds"], 3),
            "rows_per_second": round(n / result["wall_seconds"]),
            "peak_rss_mb": round(result["peak_rss_mb"], 1), "cpu_seconds":
            round(result["user_seconds"] + result["sys_seconds"], 2), "db_mb": round(size / 1e6, 1)}


def _memory_gb() -> float | None:
    try:
        return round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1)
    except (ValueError, OSError, AttributeError):
        return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, required=True, help="rows in the generated CSV")
    parser.add_argument("--keep", metavar="DIR", help="write the CSV and databases here and keep them "
                                                      "(default: a temporary folder, removed afterwards)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--withheld", type=float, default=0.001, help="share of values '(D)' (default 0.001)")
    parser.add_argument("--bad", type=float, default=0.0001, help="share of unparseable values (default 0.0001)")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each side, alternating (median reported)")
    parser.add_argument("--tree", metavar="DIR", type=Path,
                        help="run `python -m data_pipeline` from this source tree instead of `borderlens`")
    parser.add_argument("--gzip", action="store_true", help="both sides read the CSV gzip-compressed (.csv.gz)")
    parser.add_argument("--detect", action="store_true", help="the ingest names no profile: it must detect it")
    parser.add_argument("--max-ratio", type=float, help="exit 1 if ingest/baseline time exceeds this")
    parser.add_argument("--max-rss-mb", type=float, help="exit 1 if the ingest's peak RSS exceeds this")
    args = parser.parse_args(argv)
    if args.rows < 1:
        parser.error("--rows must be at least 1")
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")

    if args.keep:
        workdir = Path(args.keep)
        workdir.mkdir(parents=True, exist_ok=True)
        report = bench(args.rows, workdir, args.withheld, args.bad, args.tree, args.repeat, args.gzip, args.detect)
    else:
        with tempfile.TemporaryDirectory(prefix="borderlens-bench-") as tmp:
            report = bench(args.rows, Path(tmp), args.withheld, args.bad, args.tree, args.repeat, args.gzip,
                           args.detect)

    ok = report["reconciled"]
    if args.max_ratio is not None and report["ratio_seconds"] > args.max_ratio:
        ok = False
    if args.max_rss_mb is not None and report["ingest"]["peak_rss_mb"] > args.max_rss_mb:
        ok = False
    report["ok"] = ok
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print_table(report)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
