"""The table bench/ingest.py prints (its figures as JSON: --json)."""

from __future__ import annotations


def summary_of(runs: list[dict]) -> dict:
    """The run with the median wall time, plus the spread over all runs."""
    ordered = sorted(runs, key=lambda r: r["wall_seconds"])
    median = ordered[(len(ordered) - 1) // 2]
    summary = {**median, "peak_rss_mb": max(r["peak_rss_mb"] for r in runs)}
    if len(runs) > 1:
        summary["wall_seconds_all"] = [r["wall_seconds"] for r in runs]
        summary["peak_rss_mb_all"] = [r["peak_rss_mb"] for r in runs]
        summary["cpu_seconds_all"] = [r["cpu_seconds"] for r in runs]
    return summary


def print_table(r: dict) -> None:
    m = r["machine"]
    shipped = "csv.gz (both sides read the gzip file)" if r.get("gzip") else "CSV"
    print(f"ingest benchmark: N={r['rows']:,} rows, {r['file_mb']:,} MB {shipped} "
          f"({r['generated']['ports']:,} ports x {r['generated']['months']} months x 12 measures, "
          + ("reused)" if r["generated"].get("reused") else f"generated in {r['generated']['seconds']} s)"))
    print(f"machine: {m['cpus']} cpus, {m['memory_gb']} GB, python {m['python']}, duckdb {m['duckdb']}, "
          f"load average before {m['load_average_before'][0]}"
          + (f", after {m['load_average_after'][0]}" if "load_average_after" in m else ""))
    if r["repeat"] > 1:
        print(f"{r['repeat']} runs each, alternating; figures of the median run, peak RSS the largest")
    print()
    print(f"{'run':<34}{'wall s':>9}{'rows/s':>13}{'peak RSS MB':>13}{'cpu s':>8}{'db MB':>8}")
    for name, key in (("baseline read_csv CREATE TABLE", "baseline"), ("borderlens ingest", "ingest")):
        f = r[key]
        print(f"{name:<34}{f['wall_seconds']:>9.2f}{f['rows_per_second']:>13,}{f['peak_rss_mb']:>13,.0f}"
              f"{f['cpu_seconds']:>8.2f}{f['db_mb']:>8,.0f}")
        if "wall_seconds_all" in f:
            print(f"{'':<34}  all runs: " + ", ".join(f"{w:.2f}" for w in f["wall_seconds_all"]) + " s wall, "
                  + ", ".join(f"{c:.2f}" for c in f.get("cpu_seconds_all", [])) + " s cpu")
    print()
    print(f"ratio ingest/baseline: time {r['ratio_seconds']:.2f}x, peak RSS {r['ratio_peak_rss']:.2f}x"
          + (f" (best run against best run: time {r['ratio_seconds_best']:.2f}x)" if r["repeat"] > 1 else ""))
    print(f"ratio ingest/baseline of CPU seconds (user + system, all threads): {r['ratio_cpu']:.2f}x")
    i = r["ingest"]
    verdict = "OK" if r["reconciled"] else "MISMATCH"
    if r.get("detect"):
        print(f"profile detected without --profile: {i['profile']}")
    print(f"reconciled: rows_read {i['rows']:,} = loaded {i['rows_loaded']:,} + quarantined "
          f"{i['rows_quarantined']:,}, N = {r['rows']:,}: {verdict}")
    if i["timings"]:
        print()
        print("\n".join(i["timings"]))
