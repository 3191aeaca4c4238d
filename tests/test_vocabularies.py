"""Built-in vocabularies: `map = "subdivisions:US"` maps US state names and postal codes to ISO 3166-2 codes from
pycountry (the BTS profile no longer restates the list). Expected codes are written out here by hand."""

from __future__ import annotations

from pathlib import Path

from support import SAMPLE, ingest_json, one_line_error, query, run_cli

from data_pipeline.ingest.profiles import BUILTIN_DIR
from data_pipeline.ingest.vocabularies import builtin_vocabulary

BTS = BUILTIN_DIR / "bts-border-crossings.toml"


def test_us_subdivisions_by_name_and_code():
    table = builtin_vocabulary("subdivisions:US")
    # 50 states, the District of Columbia and 6 outlying areas, each by name and by postal code
    assert len(table) == 2 * 57
    for word, code in [("vermont", "US-VT"), ("vt", "US-VT"), ("texas", "US-TX"), ("district of columbia", "US-DC"),
                       ("dc", "US-DC"), ("puerto rico", "US-PR"), ("virgin islands, u.s.", "US-VI"),
                       ("united states minor outlying islands", "US-UM"), ("wy", "US-WY")]:
        assert table[word] == code, word
    assert builtin_vocabulary("subdivisions:us") == table
    assert builtin_vocabulary("us_states") is None and builtin_vocabulary("subdivisions:XX") is None


def test_every_country_s_subdivisions_are_pycountry_s():
    """The tables are read from pycountry's data file (faster than its objects): the same words and codes as its API
    gives, for every country, and none for a country without subdivisions."""
    import pycountry

    compared = 0
    for country in pycountry.countries:
        expected: dict[str, set[str]] = {}
        for subdivision in pycountry.subdivisions.get(country_code=country.alpha_2) or []:
            for word in (subdivision.name, subdivision.code.split("-", 1)[1]):
                expected.setdefault(word.strip().lower(), set()).add(subdivision.code)
        table = {word: codes.pop() for word, codes in expected.items() if len(codes) == 1}
        assert builtin_vocabulary(f"subdivisions:{country.alpha_2}") == (table or None), country.alpha_2
        compared += bool(table)
    assert compared > 150  # most countries have subdivisions: the loop compared real tables


def test_bts_state_names_and_codes_become_iso_codes(tmp_path: Path):
    lines = (SAMPLE / "crossings" / "bts_border_crossing_entry_data_2019_insight_sample.csv").read_text(
        encoding="utf-8").splitlines()
    rows = [line.split(",", 2) for line in lines[1:5]]   # Port Name, State, the rest
    states = ["vermont", "TX", "Puerto Rico", "Atlantis"]
    body = [f"{name},{state},{rest}" for (name, _, rest), state in zip(rows, states)]
    data = tmp_path / "bts.csv"
    data.write_text("\n".join([lines[0], *body]) + "\n", encoding="utf-8")
    db = tmp_path / "w.duckdb"
    [source] = ingest_json(db, data, profile="bts-border-crossings")
    assert source["rows_loaded"] == 4, source
    found = dict(query(db, "select region_original, region_code from crossings"))
    assert found == {"vermont": "US-VT", "TX": "US-TX", "Puerto Rico": "US-PR", "Atlantis": None}


def test_an_unknown_builtin_vocabulary_is_refused(tmp_path: Path):
    profile = tmp_path / "bad.toml"
    profile.write_text(BTS.read_text(encoding="utf-8").replace('"subdivisions:US"', '"subdivisions:XX"'),
                       encoding="utf-8")
    result = run_cli("ingest", SAMPLE / "crossings" / "bts_border_crossing_entry_data_2019_insight_sample.csv",
                     "--db", tmp_path / "w.duckdb", "--profile", profile, check=False)
    line = one_line_error(result)
    assert f"profile {profile}:" in line and "[fields] region_code" in line and "subdivisions:XX" in line, line


def test_country_names_and_codes_become_iso3():
    """`map = "countries"`: ISO names, common English names and the CLDR names publishers use, codes of every kind;
    expected codes written out by hand. A word two countries share ("congo") is left out rather than guessed."""
    table = builtin_vocabulary("countries")
    for word, code in [("germany", "DEU"), ("de", "DEU"), ("deu", "DEU"), ("276", "DEU"), ("russian federation", "RUS"),
                       ("russia", "RUS"), ("united states", "USA"), ("united states of america", "USA"),
                       ("viet nam", "VNM"), ("vietnam", "VNM"), ("bosnia & herzegovina", "BIH"),
                       ("st. lucia", "LCA"), ("côte d’ivoire", "CIV"), ("congo - kinshasa", "COD"),
                       ("myanmar (burma)", "MMR"), ("kosovo", "XKX"), ("4", "AFG"), ("004", "AFG")]:
        assert table[word] == code, word
    assert "congo" not in table or table["congo"] == "COG"   # ISO's short name "Congo" is the Republic of the Congo
    assert "nato" not in table and "czechoslovakia" not in table   # not a country, no longer one: never invented


def test_a_profile_table_of_the_same_name_is_laid_over_the_builtin_one(tmp_path: Path):
    profile = tmp_path / "named.toml"
    text = BTS.read_text(encoding="utf-8").replace('neighbor_iso3 = { column = "Border", map = "borders", unmapped = "keep" }',
                                                   'neighbor_iso3 = { column = "Border", map = "countries", unmapped = "null" }')
    text = text.replace("[vocab.borders]", "[vocab.countries]").replace('name = "bts-border-crossings"', 'name = "named"')
    profile.write_text(text, encoding="utf-8")
    lines = (SAMPLE / "crossings" / "bts_border_crossing_entry_data_2019_insight_sample.csv").read_text(
        encoding="utf-8").splitlines()
    header = lines[0].split(",")
    border = header.index("Border")
    body = []
    for line, word in zip(lines[1:4], ["US-Mexico Border", "Canada", "Mexique"]):
        cells = line.split(",")
        cells[border] = word
        body.append(",".join(cells))
    data = tmp_path / "named.csv"
    data.write_text("\n".join([lines[0], *body]) + "\n", encoding="utf-8")
    db = tmp_path / "w.duckdb"
    ingest_json(db, data, profile=str(profile))
    found = sorted(query(db, "select neighbor_iso3 from crossings"), key=str)
    # the profile's word (US-Mexico Border), the built-in name (Canada), an unknown word (null, as the profile says)
    assert sorted(r[0] or "" for r in found) == ["", "CAN", "MEX"]
