"""Publisher layouts as declarative TOML profiles: load, validate and detect them.

A new publisher needs a profile file, not code. The keys a profile may use are listed in docs/profiles.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from data_pipeline.datasets import Dataset
from data_pipeline.errors import UserError
from data_pipeline.ingest.profile_checks import checked

BUILTIN_DIR = Path(__file__).resolve().parent.parent / "profiles"
# DuckDB reads these encodings itself; others are transcoded to UTF-8 first (UTF-16 too: DuckDB reads only its
# little-endian form, and a big-endian file as no rows).
DUCKDB_ENCODINGS = {"utf-8", "utf8", "latin-1"}


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
    date_window: tuple = ()  # (earliest, latest) plausible dates: the dataset's, as widened by [dates]
    dimensions: dict = field(default_factory=dict)  # crossings: [dimensions] (see cube.py)
    fiscal_year_start: int = 1  # month a fiscal year label's year starts in ([dates] fiscal_year_start)

    @property
    def format(self) -> str:
        return self.read.get("format", "csv")

    @property
    def shape(self) -> str:
        return self.read.get("shape", "long")

    def marker_list(self, kind: str) -> list[str]:
        """Markers compared case-insensitively after trimming."""
        return [m.strip().lower() for m in self.markers.get(kind, [])]


def load_profile(path: str | Path) -> Profile:
    """Read and validate one profile file, before any data is read; a mistake is one line naming the file and
    the section and key."""
    path = Path(path)
    parts = checked(path)
    return Profile(name=parts["meta"]["name"], path=path, **parts)


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

    def missing(p: Profile) -> str:
        absent = [c for c in p.detect_columns if c.lower() not in columns]
        return ", ".join(repr(c) for c in absent[:3]) + (", ..." if len(absent) > 3 else "")

    closest = sorted(candidates, key=overlap, reverse=True)[:3]
    hints = ", ".join(f"{p.name} ({overlap(p):.0%} of its columns" + (f"; lacks {missing(p)})" if n == 0 else ")")
                      for n, p in enumerate(closest))
    raise UserError(f"{path}: no profile fits this layout; closest: {hints or 'none'}; "
                    f"give one with --profile NAME|FILE")
