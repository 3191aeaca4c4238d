"""The linter and the type checker of `make check` pass on the code, as part of `make test` too: a type error once
landed because only `make check` ran mypy, and CI runs `make test`."""

from __future__ import annotations

import os
import subprocess

from support import BIN, REPO


def _run(*command: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "MYPY_CACHE_DIR": str(REPO / ".mypy_cache")}
    return subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, timeout=600)


def test_ruff_finds_nothing():
    result = _run(str(BIN / "ruff"), "check", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_finds_nothing():
    result = _run(str(BIN / "mypy"))   # the files and settings of [tool.mypy] in pyproject.toml
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Success" in result.stdout, result.stdout
