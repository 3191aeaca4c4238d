"""Docs are tested: every `.venv/bin/borderlens` line in a sh block of README.md and docs/*.md runs, in order,
against a scratch build folder; the README starts with the two set-up commands."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from support import REPO, run_cli

DOCS = [REPO / "README.md", *sorted((REPO / "docs").rglob("*.md"))]
BLOCK = re.compile(r"```sh\n(.*?)```", re.S)


def cli_lines(path: Path) -> list[str]:
    lines = []
    for block in BLOCK.findall(path.read_text(encoding="utf-8")):
        for line in block.splitlines():
            line = line.split("  #", 1)[0].strip()
            if line.startswith(".venv/bin/borderlens "):
                lines.append(line)
    return lines


def test_readme_starts_with_the_two_commands():
    text = (REPO / "README.md").read_text(encoding="utf-8")
    first_block = BLOCK.search(text).group(1)
    assert [l.split()[0:2] for l in first_block.strip().splitlines()] == [["make", "run"], ["make", "test"]]


@pytest.mark.parametrize("doc", [d for d in DOCS if cli_lines(d)], ids=lambda d: d.relative_to(REPO).as_posix())
def test_cli_commands_in_docs_run(tmp_path: Path, doc: Path):
    for line in cli_lines(doc):
        args = [a.replace("build/", f"{tmp_path}/") for a in shlex.split(line)[1:]]
        run_cli(*args)
