"""The layer rules of pyproject.toml's [tool.importlinter] hold for the code, and would catch a breach: data_pipeline
never imports Streamlit, and nothing imports a page or app.py (import-linter cannot take app.py, a lone module, as a
source, so its own imports are read here)."""

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
    assert "Contracts: 4 kept, 0 broken." in result.stdout, result.stdout


def test_the_contracts_catch_a_breach(tmp_path):
    """A tree that breaks each rule once: every contract is reported broken, naming the offending import."""
    (tmp_path / "data_pipeline").mkdir()
    (tmp_path / "data_pipeline" / "__init__.py").write_text("")
    (tmp_path / "data_pipeline" / "widgets.py").write_text("import streamlit\n")
    (tmp_path / "data_pipeline" / "shortcut.py").write_text("import pages.map\n")
    (tmp_path / "app.py").write_text("")
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "map.py").write_text("import app\n")
    (tmp_path / "pages" / "trends.py").write_text("from pages import map\n")
    result = _lint_imports(tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Contracts: 0 kept, 4 broken." in result.stdout, result.stdout
    for breach in ("data_pipeline.widgets -> streamlit", "pages.map -> app", "data_pipeline.shortcut -> pages.map",
                   "pages.trends -> pages.map"):
        assert breach in result.stdout, (breach, result.stdout)


def test_app_py_imports_no_page():
    tree = ast.parse((REPO / "app.py").read_text(encoding="utf-8"))
    imported = [alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names]
    imported += [node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)]
    assert imported and not [name for name in imported if name.split(".")[0] in ("pages", "app")], imported
