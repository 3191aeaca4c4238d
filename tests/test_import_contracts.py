"""The layer rules of pyproject.toml's [tool.importlinter] hold for the code, and would catch a breach: data_pipeline
never imports Streamlit or the dashboard, nothing imports a page or app.py, the dashboard (pages, dashboard_ui) reads a
release through data_pipeline.views only, and the pipeline never imports the views (import-linter cannot take app.py,
a lone module, as a source, so its own imports are read here)."""

from __future__ import annotations

import ast
import os
import subprocess

from support import BIN, REPO

LINT_IMPORTS = str(BIN / "lint-imports")


def _lint_imports(cwd) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(cwd)}
    return subprocess.run([LINT_IMPORTS, str(REPO / "pyproject.toml"), "--no-cache"], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300)


def test_the_code_keeps_the_contracts():
    result = _lint_imports(REPO)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 7 kept, 0 broken." in result.stdout, result.stdout


def test_the_contracts_catch_a_breach(tmp_path):
    """A tree that breaks each rule once: every contract is reported broken, naming the offending import."""
    files = {
        "data_pipeline/__init__.py": "",
        "data_pipeline/widgets.py": "import streamlit\n",
        "data_pipeline/shortcut.py": "import pages.map\nimport dashboard_ui.tables\n",
        "data_pipeline/ingest/__init__.py": "",
        "data_pipeline/ingest/staging.py": "import data_pipeline.views.queries\n",
        "data_pipeline/geo/__init__.py": "",
        "data_pipeline/publish/__init__.py": "",
        "data_pipeline/export/__init__.py": "",
        "data_pipeline/views/__init__.py": "",
        "data_pipeline/views/queries.py": "",
        "dashboard_ui/__init__.py": "",
        "dashboard_ui/tables.py": "import pages.trends\n",
        "app.py": "",
        "pages/map.py": "import app\n",
        "pages/trends.py": "from pages import map\nimport data_pipeline.publish\n",
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    result = _lint_imports(tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Contracts: 0 kept, 7 broken." in result.stdout, result.stdout
    for breach in ("data_pipeline.widgets -> streamlit", "pages.map -> app", "data_pipeline.shortcut -> pages.map",
                   "data_pipeline.shortcut -> dashboard_ui.tables", "pages.trends -> pages.map",
                   "dashboard_ui.tables -> pages.trends", "pages.trends -> data_pipeline.publish",
                   "data_pipeline.ingest.staging -> data_pipeline.views.queries"):
        assert breach in result.stdout, (breach, result.stdout)


def test_app_py_imports_no_page():
    tree = ast.parse((REPO / "app.py").read_text(encoding="utf-8"))
    imported = [alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names]
    imported += [node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)]
    assert imported and not [name for name in imported if name.split(".")[0] in ("pages", "app")], imported
