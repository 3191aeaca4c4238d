"""`borderlens serve` refuses what it cannot run in one line and exit 2, before starting any process."""

from __future__ import annotations

from support import one_line_error, run_cli
from test_release_swap import releases  # noqa: F401 (fixture)


def test_replicas_out_of_range_is_one_line(releases):  # noqa: F811
    result = run_cli("serve", "--release", releases["a"], "--replicas", "0", check=False)
    assert one_line_error(result) == "borderlens: --replicas must be 1 to 32, not 0"


def test_replicas_without_nginx_is_one_line(releases, tmp_path):  # noqa: F811
    missing = tmp_path / "no-nginx"
    result = run_cli("serve", "--release", releases["a"], "--replicas", "2", check=False,
                     env={"BORDERLENS_NGINX": str(missing)})
    assert one_line_error(result) == f"borderlens: BORDERLENS_NGINX={missing} is not an executable file"


def test_a_folder_that_is_not_a_release_is_one_line(tmp_path):
    result = run_cli("serve", "--release", tmp_path, "--replicas", "2", check=False)
    assert "is not a release folder" in one_line_error(result)
