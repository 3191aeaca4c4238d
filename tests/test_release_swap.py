"""A new release swapped in under a running app: new visitors get it at once, open sessions keep theirs or are told.

Two real releases of the sample data (publishes under two policy names, so two release ids). The swap is the one
docs/release.md describes: BORDERLENS_RELEASE names a link `current -> releases/<name>` that the operator
replaces in one rename; or a publish into the served folder itself.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from support import SAMPLE, built_once, run_cli
from test_app_release import app_env, new_app, no_exception, release_dir  # noqa: F401 (fixtures)


@pytest.fixture(scope="session")
def releases(tmp_path_factory) -> dict:
    """{"a": path, "b": path, "work": db, "policy_b": path}: sample data published under the demo policy and
    under the same policy renamed (so another release id), into releases/a and releases/b. Built once per session
    and shared by the test workers (support.built_once; test_release_addresses, test_serve_options and
    tests/browser/test_serve_replicas.py use it too); never modify: copy. One crossings file of the sample (the
    2019 BTS slice) beside the notices and projects: a swap needs two whole releases, not the whole demo (whose
    suppression audit made this fixture take two minutes on each test worker)."""
    return {name: Path(path) for name, path in built_once(tmp_path_factory, "swap", _build_releases).items()}


def _build_releases(root: Path) -> dict:
    work = root / "work.duckdb"
    run_cli("ingest", SAMPLE / "crossings" / "bts_border_crossing_entry_data_2019_insight_sample.csv",
            SAMPLE / "notices", SAMPLE / "projects", "--db", work, "--no-progress")
    policy_b = root / "policy-b.toml"
    text = (SAMPLE / "policy.toml").read_text(encoding="utf-8")
    assert 'name = "borderlens demo policy"' in text
    policy_b.write_text(text.replace('name = "borderlens demo policy"', 'name = "borderlens demo policy, b"'),
                        encoding="utf-8")
    out = {"work": work, "policy_b": policy_b}
    (root / "releases").mkdir()
    for name, policy in (("a", SAMPLE / "policy.toml"), ("b", policy_b)):
        run_cli("publish", "--db", work, "--policy", policy, "--out", root / "releases" / name)
        out[name] = root / "releases" / name
    return out


def release_id(folder: Path) -> str:
    import json

    return json.loads((folder / "release.json").read_text(encoding="utf-8"))["release_id"]


def point(link: Path, target: Path) -> None:
    """Flip the link atomically, as an operator does: a new link beside it, renamed over it."""
    new = link.with_name(link.name + ".next")
    new.symlink_to(target)
    os.replace(new, link)


def shown_release(at) -> str:
    return " ".join(c.value for c in at.caption if c.value.startswith("Release `"))


def notices(at) -> str:
    return " ".join(i.value for i in at.info)


def test_a_publish_into_the_served_folder_is_read_at_once(releases, tmp_path):
    """`publish --out` the folder the app serves swaps a new database in under the same path: the query layer
    must read the new file, not go on with a connection to the old one."""
    from data_pipeline.views import queries as Q

    served = tmp_path / "served"
    shutil.copytree(releases["a"], served)
    first = release_id(served)
    assert Q.release_meta(str(served)).release_id == first
    run_cli("publish", "--db", releases["work"], "--policy", releases["policy_b"], "--out", served)
    second = release_id(served)
    assert second != first
    assert Q.release_meta(str(served)).release_id == second


def test_an_open_session_keeps_its_release_and_new_sessions_get_the_new_one(app_env, releases, tmp_path,
                                                                            monkeypatch):
    a, b = tmp_path / "releases" / "a", tmp_path / "releases" / "b"
    shutil.copytree(releases["a"], a)
    shutil.copytree(releases["b"], b)
    current = tmp_path / "current"
    current.symlink_to(a)
    monkeypatch.setenv("BORDERLENS_RELEASE", str(current))
    id_a, id_b = release_id(a), release_id(b)

    reader = new_app().run()
    no_exception(reader)
    assert id_a[:12] in shown_release(reader) and not notices(reader)

    point(current, b)
    newcomer = new_app().run()
    no_exception(newcomer)
    assert id_b[:12] in shown_release(newcomer) and not notices(newcomer)

    reader.switch_page("pages/trends.py").run()   # the open session's next run: still release a, and told
    no_exception(reader)
    assert id_a[:12] in shown_release(reader), shown_release(reader)
    assert "New data is available" in notices(reader) and id_b[:12] in notices(reader), notices(reader)

    shutil.rmtree(a)   # the operator removes the old release: the open session moves on, and is told once
    reader.switch_page("pages/about.py").run()
    no_exception(reader)
    assert id_b[:12] in shown_release(reader), shown_release(reader)
    assert "updated while this page was open" in notices(reader), notices(reader)
    reader.run()
    assert not notices(reader)
