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


def test_nginx_serves_the_release_files_only_from_a_path_its_config_can_hold(tmp_path):
    """The files location names the release folder in nginx's config: a path with a quote, a $ (an nginx variable),
    a ; or a brace would change the config, so it gets no such location (the page then asks the operator)."""
    from data_pipeline import serve
    from data_pipeline.views import downloads

    assert serve.FILES_URL_ENV == downloads.FILES_URL_ENV
    config = serve.nginx_config(tmp_path, "8080", [8601, 8602], tmp_path / "my releases" / "current")
    assert f'location /release-files/ {{\n            alias "{tmp_path}/my releases/current/";' in config
    assert config.count("location /release-files/") == 1 and "autoindex off;" in config
    assert 'add_header Content-Disposition "attachment" always;' in config
    for bad in ('a"b', "a$uri", "a;b", "a{b}"):
        assert serve.release_files_location(tmp_path / bad) == ""
        assert "location /release-files/" not in serve.nginx_config(tmp_path, "8080", [8601], tmp_path / bad)
