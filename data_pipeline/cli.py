"""The `borderlens` command: ingest, status, quarantine, publish, verify, export, serve.

A user mistake prints one line on stderr and exits 2; nothing else prints a traceback for it. So does a file the
system will not let us read or write (permissions, a read-only or full disk): the operator fixes that, not us.
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
from contextlib import closing
from pathlib import Path

from data_pipeline.datasets import DATASET_NAMES as CANONICAL
from data_pipeline.errors import UserError, io_problem

DATASET_NAMES = (*CANONICAL, "borders", "sources")   # what `export` takes (extracts.EXPORTABLE)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse's own usage errors: one line, exit 2
        command = " ".join(self.prog.split()[1:2])  # "borderlens ingest" -> "ingest"; the main parser has none
        self.exit(2, f"borderlens: {message} (see {' '.join(['borderlens', command]).strip()} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="borderlens", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    p = sub.add_parser("ingest", help="load publisher files into a working database")
    p.add_argument("paths", nargs="+", metavar="PATH", help="files, or folders of files")
    p.add_argument("--db", required=True, help="the working DuckDB file (created if missing)")
    p.add_argument("--profile", help="a known profile's name or a profile .toml file (default: detect)")
    p.add_argument("--profiles", action="append", default=[], metavar="DIR",
                   help="a folder of your own profiles (*.toml) for detection and --profile NAME, beside the "
                        "built-in ones and the folders in BORDERLENS_PROFILES (may be repeated)")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.add_argument("--no-progress", action="store_true", help="no progress display on stderr")

    p = sub.add_parser("status", help="sources, versions, row counts and the quarantine summary")
    p.add_argument("--db", required=True)
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("quarantine", help="the quarantined rows, with their reasons and raw records")
    p.add_argument("--db", required=True)
    p.add_argument("--source", help="only this source id")
    p.add_argument("--format", choices=("csv", "json"), default="csv")

    p = sub.add_parser("publish", help="apply a redaction policy and write a release folder")
    p.add_argument("--db", required=True)
    p.add_argument("--policy", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--previous", metavar="RELEASE_DIR",
                   help="the release this one follows (default: the release in --out): its suppressed cells "
                        "stay suppressed and the audit covers both")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("verify", help="check a release folder against its own digests (exit 1 if not whole)")
    p.add_argument("--release", required=True)
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("export", help="write one dataset as CSV, Parquet or GeoJSON")
    p.add_argument("dataset", choices=DATASET_NAMES)
    source = p.add_mutually_exclusive_group(required=True)
    source.add_argument("--db", help="the working database (the operator's full view)")
    source.add_argument("--release", help="a release folder (the public view)")
    p.add_argument("--format", choices=("csv", "parquet", "geojson"), required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--where", action="append", default=[], metavar="COLUMN=VALUE")
    p.add_argument("--excel", action="store_true", help="CSV with a byte-order mark, for Excel")

    p = sub.add_parser("serve", help="serve the dashboard on a release")
    p.add_argument("--release", required=True)
    p.add_argument("--port", type=int, default=8501)
    p.add_argument("--replicas", type=int, default=1,
                   help="Streamlit processes behind nginx, sticky per browser (default 1: Streamlit alone)")
    p.add_argument("--address", help="the address to listen on (default: every interface)")
    return parser


def run() -> None:
    """The `borderlens` command and `python -m data_pipeline`: main(), then exit without the interpreter's last full
    garbage collection, which walks every object the modules made (DuckDB's, numpy's, pycountry's data): about
    0.045 s of every command, measured at the end of an ingest. gc.freeze puts them out of its sight; the memory is
    the system's again when the process ends. Tests call main() itself."""
    code = main()
    gc.freeze()
    sys.exit(code)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from data_pipeline.publish.scratch import remove_stale

    remove_stale()  # unredacted scratch copies of publishes killed before they could remove them
    try:
        return COMMANDS[args.command](args)
    except UserError as exc:
        print(f"borderlens: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0
    except Exception as exc:
        problem = io_problem(exc)
        if problem is None:
            raise
        print(f"borderlens: {args.command} failed: {problem}", file=sys.stderr)
        return 2


def cmd_ingest(args) -> int:
    from data_pipeline.ingest.compressed import UnpackAhead, expand_paths
    from data_pipeline.publish.scratch import private_tempdir

    files = expand_paths(args.paths)
    for path in files:         # a missing or unreadable file, or a bad profile, is reported before
        _check_readable(path)  # the database is created
    with private_tempdir():  # copies of the inputs: removed if this process is killed before it can
        ahead = UnpackAhead.started(files[0])  # a gzip file unpacks while the modules load, the profiles are checked
        try:
            from data_pipeline.db import open_work_db
            from data_pipeline.ingest.ingest import ingest
            from data_pipeline.ingest.profiles import known_profiles, profile_folders, resolve_profile
            from data_pipeline.publish.operator_key import operator_key

            profiles = known_profiles(profile_folders(args.profiles))
            if args.profile:
                resolve_profile(args.profile, profiles)
            # closed on every way out: a file that fails must not leave the database open (and locked) behind it
            with closing(open_work_db(args.db)) as con:
                operator_key(args.db)  # made with the database, so that it is there to back up before a publish
                results = ingest(con, args.paths, args.profile, profiles=profiles, ahead=ahead,
                                 show_progress=not args.no_progress and sys.stderr.isatty())
        finally:
            if ahead is not None:
                ahead.close()
    if args.json:
        print(json.dumps({"sources": results}, indent=2))
    else:
        for r in results:
            print(f"{r['status']:9} {r['source_id']}  read {r['rows_read']:,}  loaded {r['rows_loaded']:,}  "
                  f"quarantined {r['rows_quarantined']:,}  {r['path']}")
    return 0


def _check_readable(path: Path) -> None:
    try:
        with open(path, "rb") as handle:
            handle.read(1)
    except OSError as exc:
        raise UserError(f"cannot read {path}: {exc.strerror or exc}") from None


def cmd_status(args) -> int:
    from data_pipeline.db import open_work_db
    from data_pipeline.ingest.reports import status

    with closing(open_work_db(args.db, create=False, read_only=True)) as con:
        report = status(con)
    if args.json:
        print(json.dumps(report, indent=2, default=str))
        return 0
    print(f"schema version {report['schema_version']}")
    for table, count in report["tables"].items():
        print(f"  {table:25} {count:>12,} rows")
    print("sources:")
    for s in report["sources"]:
        print(f"  {s['source_id']:45} v{s['version']}  {s['dataset']:24} read {s['rows_read']:,}  "
              f"loaded {s['rows_loaded']:,}  quarantined {s['rows_quarantined']:,}"
              f"{'  SYNTHETIC' if s['synthetic'] else ''}  {s['file_name']}")
    if report["quarantine"]:
        print("quarantine by reason:")
        for q in report["quarantine"]:
            print(f"  {q['source_id']:45} {q['reason']:28} {q['rows']:,}")
    return 0


def cmd_quarantine(args) -> int:
    from data_pipeline.db import open_work_db
    from data_pipeline.ingest.reports import write_quarantine

    with closing(open_work_db(args.db, create=False, read_only=True)) as con:
        write_quarantine(con, args.source, args.format, sys.stdout)
    return 0


def cmd_publish(args) -> int:
    from data_pipeline.publish.release import publish

    result = publish(args.db, args.policy, args.out, args.previous)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(f"published release {result['release_id']} to {result['path']}")
    return 0


def cmd_verify(args) -> int:
    """Exit 0 when the release is whole, 1 with one line per problem when not (2: no such folder)."""
    from data_pipeline.publish.verify import verify

    problems = verify(args.release)
    if args.json:
        print(json.dumps({"release": args.release, "whole": not problems, "problems": problems}, indent=2))
    elif problems:
        print("\n".join(f"{args.release}: {p}" for p in problems))
    else:
        print(f"{args.release}: whole (every file matches digests.json; the database matches release.json)")
    return 1 if problems else 0


def cmd_export(args) -> int:
    from data_pipeline.export.extracts import export

    count = export(args.dataset, db=args.db, release=args.release, fmt=args.format, out=Path(args.out),
                   where=args.where, excel=args.excel)
    print(f"wrote {count:,} rows to {args.out}", file=sys.stderr)
    return 0


def cmd_serve(args) -> int:
    from data_pipeline.serve import serve

    return serve(Path(args.release), args.port, args.replicas, args.address)


COMMANDS = {"ingest": cmd_ingest, "status": cmd_status, "quarantine": cmd_quarantine,
            "publish": cmd_publish, "verify": cmd_verify, "export": cmd_export, "serve": cmd_serve}
