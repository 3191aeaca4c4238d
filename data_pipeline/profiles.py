"""Publisher layouts as declarative TOML profiles: load, validate and detect them.

A new publisher needs a profile file, not code. The keys a profile may use are listed in docs/profiles.md.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from data_pipeline.datasets import DATASETS, Dataset
from data_pipeline.errors import UserError

BUILTIN_DIR = Path(__file__).resolve().parent / "profiles"
FORMATS = {"csv", "json", "geojson"}
SHAPES = {"long", "wide"}
PARSERS = {"wkt_lon", "wkt_lat", "upper", "lower", "json_list"}
UNMAPPED = {"keep", "null", "slug"}
FIELD_KEYS = {"column", "columns", "value", "parse", "pad", "prefix", "map", "unmapped", "document"}
# DuckDB reads these encodings itself; others are transcoded to UTF-8 first.
DUCKDB_ENCODINGS = {"utf-8", "utf8", "utf-16", "latin-1"}


@dataclass(frozen=True)
class Profile:
    name: str
    dataset: Dataset
    path: Path
    meta: dict
    read: dict
    detect_columns: tuple[str, ...]
    fields: dict
    vocab: dict
    date_formats: tuple[str, ...]
    markers: dict = field(default_factory=dict)

    @property
    def format(self) -> str:
        return self.read.get("format", "csv")

    @property
    def shape(self) -> str:
        return self.read.get("shape", "long")

    def marker_list(self, kind: str) -> list[str]:
        """Markers compared case-insensitively after trimming."""
        return [m.strip().lower() for m in self.markers.get(kind, [])]


def _fail(path: Path, message: str) -> UserError:
    return UserError(f"profile {path}: {message}")


def _check_field(path: Path, dataset: Dataset, name: str, spec, vocab: dict) -> None:
    if name not in dataset.staged_fields:
        raise _fail(path, f"unknown field '{name}' for dataset {dataset.name} "
                          f"(known: {', '.join(dataset.staged_fields)})")
    if isinstance(spec, str):
        return
    if not isinstance(spec, dict):
        raise _fail(path, f"field '{name}' must be a column name or a table")
    unknown = set(spec) - FIELD_KEYS
    if unknown:
        raise _fail(path, f"field '{name}' has unknown key(s) {', '.join(sorted(unknown))}")
    if "columns" in spec:
        for alternative in spec["columns"]:
            _check_field(path, dataset, name, alternative, vocab)
    if spec.get("parse") is not None and spec["parse"] not in PARSERS:
        raise _fail(path, f"field '{name}' has unknown parse '{spec['parse']}' (known: {', '.join(sorted(PARSERS))})")
    if spec.get("map") is not None and spec["map"] not in vocab:
        raise _fail(path, f"field '{name}' maps through vocabulary '{spec['map']}', which the profile does not define")
    if spec.get("unmapped", "keep") not in UNMAPPED:
        raise _fail(path, f"field '{name}' has unknown unmapped '{spec['unmapped']}'")


def load_profile(path: str | Path) -> Profile:
    """Read and validate one profile file; a mistake is one line naming the file and the key."""
    path = Path(path)
    if not path.is_file():
        raise UserError(f"profile not found: {path}")
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise _fail(path, f"not valid TOML: {exc}") from None
    meta = raw.get("profile", {})
    for key in ("name", "dataset"):
        if key not in meta:
            raise _fail(path, f"[profile] needs '{key}'")
    if meta["dataset"] not in DATASETS:
        raise _fail(path, f"unknown dataset '{meta['dataset']}' (known: {', '.join(DATASETS)})")
    dataset = DATASETS[meta["dataset"]]
    read = raw.get("read", {})
    if read.get("format", "csv") not in FORMATS:
        raise _fail(path, f"unknown format '{read.get('format')}' (known: {', '.join(sorted(FORMATS))})")
    if read.get("shape", "long") not in SHAPES:
        raise _fail(path, f"unknown shape '{read.get('shape')}' (known: long, wide)")
    if read.get("shape") == "wide" and "value_columns" not in read:
        raise _fail(path, "a wide layout needs [read] value_columns (a regular expression over the header)")
    vocab = {name: {str(k).strip().lower(): str(v) for k, v in table.items()}
             for name, table in raw.get("vocab", {}).items()}
    fields = raw.get("fields", {})
    for name, spec in fields.items():
        _check_field(path, dataset, name, spec, vocab)
    missing = [f for f in dataset.required_fields if f not in fields]
    if missing:
        raise _fail(path, f"[fields] must say where {', '.join(missing)} come from")
    return Profile(
        name=meta["name"], dataset=dataset, path=path, meta=meta, read=read,
        detect_columns=tuple(raw.get("detect", {}).get("columns", [])), fields=fields, vocab=vocab,
        date_formats=tuple(raw.get("dates", {}).get("formats", ["%Y-%m-%d"])),
        markers=raw.get("markers", {}),
    )


def builtin_profiles() -> dict[str, Profile]:
    return {p.name: p for p in (load_profile(f) for f in sorted(BUILTIN_DIR.glob("*.toml")))}


def resolve_profile(name_or_path: str) -> Profile:
    """A built-in profile by name, or a profile file by path."""
    builtins = builtin_profiles()
    if name_or_path in builtins:
        return builtins[name_or_path]
    if name_or_path.endswith(".toml") or Path(name_or_path).exists():
        return load_profile(name_or_path)
    raise UserError(f"unknown profile '{name_or_path}' (built-in: {', '.join(sorted(builtins))}; or give a .toml file)")


def file_format(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in {".geojson"}:
        return "geojson"
    if suffix in {".json"}:
        return "json"
    return "csv"


def detect_profile(path: Path, header: list[str]) -> Profile:
    """The built-in profile whose detection columns all appear in the header; else the closest, in one line."""
    columns = {h.strip().lower() for h in header}
    fmt = file_format(path)
    candidates = [p for p in builtin_profiles().values() if p.format == fmt and p.detect_columns]
    fitting = [p for p in candidates if {c.lower() for c in p.detect_columns} <= columns]
    if fitting:
        return max(fitting, key=lambda p: len(p.detect_columns))

    def overlap(p: Profile) -> float:
        wanted = {c.lower() for c in p.detect_columns}
        return len(wanted & columns) / len(wanted)

    closest = sorted(candidates, key=overlap, reverse=True)[:3]
    hints = ", ".join(f"{p.name} ({overlap(p):.0%} of its columns)" for p in closest)
    raise UserError(f"{path}: no profile fits this layout; closest: {hints or 'none'}; "
                    f"give one with --profile NAME|FILE")
