"""A bad profile is one line on stderr, exit code 2, naming the profile file and the key: never a traceback, never
silently accepted. Each case is a real built-in profile with one mistake, run through the real CLI."""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from support import REPO, SAMPLE

from data_pipeline.errors import UserError
from data_pipeline.ingest.profiles import BUILTIN_DIR, builtin_profiles, detect_profile, file_format, load_profile
from data_pipeline.ingest.staging import json_header, sniff_header

BTS = BUILTIN_DIR / "bts-border-crossings.toml"
EU = BUILTIN_DIR / "eu-crossings-wide.toml"
BTS_DATA = SAMPLE / "crossings" / "bts_border_crossing_entry_data_2019_insight_sample.csv"
EU_DATA = SAMPLE / "crossings" / "eu_border_guard_crossings_demo.csv"  # has non-ASCII names (first at byte 5269)


def _case(case_id, edits, *needles, base=BTS, data=BTS_DATA, names_profile=True, encoding="utf-8"):
    """edits: (regular expression, replacement text) pairs, each of which must change the base profile once."""
    return pytest.param(base, data, edits, needles, names_profile, encoding, id=case_id)


def _line(key: str) -> str:
    return rf"(?m)^{key} = .*$"


CASES = [
    _case("value_columns-invalid-regex", [(_line("value_columns"), r"value_columns = '(\d{4}'")],
          "[read] value_columns", "regular expression", base=EU, data=EU_DATA),
    _case("value_columns-in-long-layout", [(_line("thousands"), "thousands = \",\"\nvalue_columns = '\\d{4}'")],
          "[read] value_columns", "wide"),
    _case("dataset-list", [(_line("dataset"), 'dataset = ["crossings"]')], "[profile] dataset"),
    _case("format-list", [(_line("format"), 'format = ["csv"]')], "[read] format"),
    _case("pad-string", [(r'pad = 4', 'pad = "four"')], "[fields] location_id pad", '"four"'),
    _case("pad-bool", [(r'pad = 4', 'pad = true')], "[fields] location_id pad"),
    _case("skip_lines-string", [(_line("thousands"), 'thousands = ","\nskip_lines = "one"')], "[read] skip_lines"),
    _case("skip_lines-negative", [(_line("thousands"), 'thousands = ","\nskip_lines = -1')], "[read] skip_lines"),
    _case("date-formats-string", [(_line("formats"), 'formats = "%b %Y"')], "[dates] formats", "list"),
    _case("date-formats-empty", [(_line("formats"), "formats = []")], "[dates] formats", "empty"),
    _case("date-format-duckdb-rejects", [(_line("formats"), 'formats = ["%b %Y", "%Q %Y"]')],
          "[dates] formats", '"%Q %Y"'),
    _case("date-earliest-not-a-date", [(_line("formats"), 'earliest = "the 1800s"\nformats = ["%b %Y"]')],
          "[dates] earliest", "the 1800s"),
    _case("date-latest-a-time", [(_line("formats"), 'latest = 2030-01-01T00:00:00\nformats = ["%b %Y"]')],
          "[dates] latest", "a date like"),
    _case("date-earliest-after-latest", [(_line("formats"), 'earliest = 2000-01-01\nlatest = "1999-12-31"\n'
                                                            'formats = ["%b %Y"]')],
          "[dates] earliest", "after latest"),
    _case("vocab-entry-string", [(r"(?m)^\[vocab\.borders\]", '[vocab]\nextra = "x"\n\n[vocab.borders]')],
          "[vocab] extra"),
    _case("vocab-value-number", [(r'"US-Mexico Border" = "MEX"', '"US-Mexico Border" = 1')],
          "[vocab.borders]", "US-Mexico Border"),
    _case("encoding-ascii-on-non-ascii-file", [(_line("encoding"), 'encoding = "ascii"')],
          str(EU_DATA), "encoding", "ascii", "offset 5269", "line 38", base=EU, data=EU_DATA, names_profile=False),
    _case("encoding-unknown", [(_line("encoding"), 'encoding = "klingon"')], "[read] encoding", "klingon"),
    _case("delimiter-two-characters", [(_line("delimiter"), 'delimiter = ",,"')], "[read] delimiter", '",,"'),
    _case("delimiter-empty", [(_line("delimiter"), 'delimiter = ""')], "[read] delimiter"),
    _case("quote-two-characters", [(_line("delimiter"), 'delimiter = ","\nquote = "\'\'"')], "[read] quote"),
    _case("unknown-read-key", [(_line("delimiter"), 'delimter = ";"')], "[read]", "delimter",
          "did you mean delimiter"),
    _case("unknown-section", [(r"(?m)^\[dates\]", '[reed]\nformat = "csv"\n\n[dates]')], "[reed]",
          "did you mean [read]"),
    _case("unknown-profile-key", [(_line("licence"), 'license = "Public domain"')], "[profile]", "license"),
    _case("unknown-field", [(_line("location_name"), 'port_name = "Port Name"')], "port_name", "[fields]"),
    _case("unknown-field-key", [(r"pad = 4", "padding = 4")], "[fields] location_id", "padding"),
    _case("field-without-source", [(_line("region_code"), 'region_code = { map = "us_states" }')],
          "[fields] region_code", "column"),
    _case("field-options-with-value", [(_line("country_iso3"), 'country_iso3 = { value = "usa", parse = "upper" }')],
          "[fields] country_iso3", "parse"),
    _case("document-in-csv", [(_line("reporter_iso3"), 'reporter_iso3 = { document = "$.reporter" }')],
          "[fields] reporter_iso3", "document"),
    _case("map-to-undefined-vocab", [(r'map = "borders"', 'map = "border"')], "[fields] neighbor_iso3", "border"),
    _case("markers-string", [(_line("withheld"), 'withheld = "(D)"')], "[markers] withheld", "list"),
    _case("columns-string", [(_line("lat"), 'lat = { columns = "Latitude" }')], "[fields] lat columns"),
    _case("columns-empty", [(_line("lat"), "lat = { columns = [] }")], "[fields] lat columns"),
    _case("decimal-equals-thousands", [(_line("decimal"), 'decimal = ","')], "[read] decimal", "thousands"),
    _case("synthetic-string", [(_line("series"), 'series = "x"\nsynthetic = "no"')], "[profile] synthetic"),
    _case("key-outside-sections", [(r"\A", 'delimiter = ";"\n')], "delimiter", "outside any section"),
    _case("profile-not-utf8", [(_line("title"), 'title = "Données de passage"'), (', "█+"', "")],  # saved as Latin-1
          "not UTF-8", "byte 0xe9 on line 10", encoding="latin-1"),
]


@pytest.mark.parametrize("base, data, edits, needles, names_profile, encoding", CASES)
def test_bad_profile_is_one_line_exit_2(tmp_path: Path, base: Path, data: Path, edits, needles, names_profile,
                                        encoding):
    text = base.read_text(encoding="utf-8")
    for pattern, replacement in edits:
        text, changed = re.subn(pattern, lambda _: replacement, text, count=1)
        assert changed == 1, f"{pattern!r} is not in {base.name}"
    profile = tmp_path / "bad_profile.toml"
    profile.write_bytes(text.encode(encoding))
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    result = subprocess.run(
        [sys.executable, "-m", "data_pipeline", "ingest", str(data), "--db", str(tmp_path / "w.duckdb"),
         "--profile", str(profile)],
        capture_output=True, text=True, cwd=REPO, timeout=300, env={**os.environ, "TMPDIR": str(scratch)})
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    line = lines[0]
    if names_profile:
        assert f"profile {profile}:" in line, line
    for needle in needles:
        assert needle in line, line
    assert not list(scratch.glob("borderlens-*.csv")), "the re-encoded copy was left behind"
    if names_profile:  # a mistake found in the profile itself is found before the database is created
        assert not (tmp_path / "w.duckdb").exists()


def _profiles_in_tests() -> list[tuple[str, str]]:
    """Profiles written inline by the tests (a string with a [profile] and a [fields] section)."""
    found = []
    for test in sorted((REPO / "tests").glob("test_*.py")):
        if test.name == Path(__file__).name:
            continue
        for node in ast.walk(ast.parse(test.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) \
                    and "[profile]" in node.value and "[fields]" in node.value:
                found.append((f"{test.name}:{node.lineno}", node.value))
    return found


def test_every_profile_in_use_still_loads(tmp_path: Path):
    """No false alarms: the built-in profiles, the profiles the tests write, and detection of every sample and
    fixture data file (which loads the built-ins)."""
    builtins = builtin_profiles()
    assert len(builtins) == len(list(BUILTIN_DIR.glob("*.toml"))) >= 6
    inline = _profiles_in_tests()
    assert inline, "expected the tests to write at least one profile of their own"
    for where, text in inline:
        path = tmp_path / (where.replace(":", "_") + ".toml")
        path.write_text(text, encoding="utf-8")
        assert load_profile(path).fields, where
    data_files = [p for folder in (SAMPLE / "crossings", SAMPLE / "notices", SAMPLE / "projects",
                                   REPO / "tests" / "fixtures")
                  for p in sorted(folder.iterdir()) if p.suffix in {".csv", ".json", ".geojson"}]
    assert data_files
    for data in data_files:
        fmt = file_format(data)
        header = sniff_header(data)[0] if fmt == "csv" else \
            json_header(data, "$.features[*]", "properties") if fmt == "geojson" else json_header(data)
        assert detect_profile(data, header).name in builtins, data


@pytest.mark.parametrize("line, accepted", [
    ('quote = ""', True),
    ('thousands = ""', True),
    ('encoding = "cp1252"', True),
    ("skip_lines = 0", True),
    ("synthetic_marker = 1", False),
], ids=["quote-empty-no-quoting", "thousands-empty", "encoding-cp1252", "skip-lines-zero", "control-unknown-key"])
def test_valid_read_settings_load(tmp_path: Path, line: str, accepted: bool):
    """Settings a real publisher needs are accepted; the control shows the edit does reach [read]."""
    key = line.split(" = ")[0]
    text = BTS.read_text(encoding="utf-8")
    text, changed = re.subn(_line(key), lambda _: line, text, count=1)
    if not changed:
        text = text.replace('decimal = "."', f'decimal = "."\n{line}', 1)
    path = tmp_path / "p.toml"
    path.write_text(text, encoding="utf-8")
    if accepted:
        assert load_profile(path).read[key] == tomllib.loads(line)[key]
    else:
        with pytest.raises(UserError, match=r"\[read\] has unknown key synthetic_marker"):
            load_profile(path)


def test_undecodable_byte_is_located_across_chunks(tmp_path: Path, monkeypatch):
    """The re-encoding copy streams in 1 MiB chunks: a character split across chunks is fine, and the byte that
    cannot be decoded is placed by its offset in the file and its line; no partial copy stays behind."""
    from data_pipeline.ingest.staging import _utf8_copy

    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    head = b"a\n" * ((1 << 20) // 2 - 1) + b"x"  # one byte short of 1 MiB, so the next character straddles it
    data = head + "é\nline\n".encode("utf-8") + b"\xff tail\n"
    source = tmp_path / "in.csv"
    source.write_bytes(data)
    with pytest.raises(UserError) as caught:
        _utf8_copy(source, "utf-8-sig")  # not read by DuckDB itself, so copied
    offset = data.index(b"\xff")
    line = data[:offset].count(b"\n") + 1
    assert f"byte 0xff at offset {offset} (line {line})" in str(caught.value)
    assert str(source) in str(caught.value) and "utf-8-sig" in str(caught.value)
    assert not list(tmp_path.glob("borderlens-*"))
    source.write_bytes(head + "é\r\nend\r\n".encode("utf-8"))
    copy = _utf8_copy(source, "utf-8-sig")
    assert copy.read_bytes() == source.read_bytes()
    copy.unlink()
