"""Publisher layouts as declarative TOML profiles: load, validate and detect them.

A new publisher needs a profile file, not code. The keys a profile may use are listed in docs/profiles.md.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from data_pipeline.datasets import Dataset
from data_pipeline.errors import UserError
from data_pipeline.ingest.profile_checks import checked

BUILTIN_DIR = Path(__file__).resolve().parent.parent / "profiles"
# DuckDB reads these encodings itself; others are transcoded to UTF-8 first (UTF-16 too: DuckDB reads only its
# little-endian form, and a big-endian file as no rows).
DUCKDB_ENCODINGS = {"utf-8", "utf8", "latin-1"}
PROFILES_VARIABLE = "BORDERLENS_PROFILES"  # the operator's profile folders, separated by os.pathsep
# Spreadsheet formats (sheets.py): one reader reads them all, so a profile of one also fits a workbook of another.
SHEET_FORMATS = ("xlsx", "xls", "ods")


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
    unknown_parts: tuple[str, ...] = ()  # markers of an unknown day or month in a date ([dates] unknown)
    rows: list = field(default_factory=list)  # [rows] skip rules (row_filters.py)

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


def profile_folders(given: list[str] | None) -> list[Path]:
    """The operator's profile folders: those given with --profiles, then those in BORDERLENS_PROFILES (several
    separated by os.pathsep, as in PATH), each once."""
    named = list(given or []) + [f for f in os.environ.get(PROFILES_VARIABLE, "").split(os.pathsep) if f.strip()]
    folders: dict[Path, None] = {}
    for name in named:
        folder = Path(name)
        if not folder.is_dir():
            where = "--profiles" if name in (given or []) else PROFILES_VARIABLE
            what = "is not a folder" if folder.exists() else "not found"
            raise UserError(f"profile folder {folder} ({where}): {what}")
        folders.setdefault(folder.resolve(), None)
    return list(folders)


def known_profiles(folders: list[Path]) -> dict[str, Profile]:
    """The built-in profiles and every *.toml profile in the operator's folders, all checked now: a bad one is one
    line naming its file. Two profiles of one name would make --profile NAME ambiguous: that is refused too."""
    known = builtin_profiles()
    for folder in folders:
        for path in sorted(folder.glob("*.toml")):
            profile = load_profile(path)
            if profile.name in known:
                taken = known[profile.name].path
                raise UserError(f"profile {path}: the name '{profile.name}' is taken by "
                                f"{'built-in profile ' if taken.parent == BUILTIN_DIR else ''}{taken}; give it "
                                f"another [profile] name")
            known[profile.name] = profile
    return known


def resolve_profile(name_or_path: str, profiles: dict[str, Profile] | None = None) -> Profile:
    """A known profile by name (built-in, or from a profile folder), or a profile file by path."""
    known = profiles if profiles is not None else builtin_profiles()
    if name_or_path in known:
        return known[name_or_path]
    if name_or_path.endswith(".toml") or Path(name_or_path).exists():
        return load_profile(name_or_path)
    raise UserError(f"unknown profile '{name_or_path}' (known: {', '.join(sorted(known))}; or give a .toml file)")


def file_format(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in {".geojson"}:
        return "geojson"
    if suffix in {".json"}:
        return "json"
    return {".xlsx": "xlsx", ".xlsm": "xlsx", ".xls": "xls", ".ods": "ods"}.get(suffix, "csv")


def detect_profile(path: Path, header: list[str] | Callable[[Profile], list[str]],
                   profiles: dict[str, Profile] | None = None, fmt: str | None = None) -> Profile:
    """The profile whose detection columns all appear in the header (the one naming most, if several fit; a tie is
    refused rather than settled silently); else the candidates ranked by the share of their columns the header has,
    and how to write a profile, in one line. For a workbook (fmt one of SHEET_FORMATS) header is a function of the
    profile: each reads its own sheet, below its own title rows."""
    fmt = fmt or file_format(path)
    family = SHEET_FORMATS if fmt in SHEET_FORMATS else (fmt,)
    known = profiles if profiles is not None else builtin_profiles()
    candidates = [p for p in known.values() if p.format in family and p.detect_columns]
    headers = {p.name: {h.strip().lower() for h in (header(p) if callable(header) else header)} for p in candidates}
    fitting = [p for p in candidates if {c.lower() for c in p.detect_columns} <= headers[p.name]]
    if fitting:
        most = max(len(p.detect_columns) for p in fitting)
        best = sorted((p for p in fitting if len(p.detect_columns) == most), key=lambda p: p.name)
        if len(best) > 1:
            raise UserError(f"{path}: profiles {best[0].name} ({best[0].path}) and {best[1].name} ({best[1].path}) "
                            f"both fit this layout; give one with --profile NAME, or add a column to one's "
                            f"[detect] columns")
        return best[0]

    def overlap(p: Profile) -> float:
        wanted = {c.lower() for c in p.detect_columns}
        return len(wanted & headers[p.name]) / len(wanted)

    def missing(p: Profile) -> str:
        absent = [c for c in p.detect_columns if c.lower() not in headers[p.name]]
        return ", ".join(repr(c) for c in absent[:3]) + (", ..." if len(absent) > 3 else "")

    closest = sorted(candidates, key=lambda p: (-overlap(p), p.name))[:3]
    hints = ", ".join(f"{p.name} ({overlap(p):.0%} of its columns" + (f"; lacks {missing(p)})" if n == 0 else ")")
                      for n, p in enumerate(closest))
    raise UserError(f"{path}: no profile fits this layout; closest: {hints or 'none'}; give one with --profile "
                    f"NAME|FILE, or write a profile for this layout (docs/profiles.md) and add its folder with "
                    f"--profiles DIR or {PROFILES_VARIABLE}")
