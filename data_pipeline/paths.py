"""Where the dashboard and its data files are: the repository root in a checkout, the package's copy once installed.

The project keeps app.py, pages/, dashboard_ui/, sql/, static/ and the reference geometry (sample_data/geo/) at the
repository root; a wheel ships the same tree under data_pipeline/resources/ (setup.py), so every path is built from
here.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
SHIPPED_DIR = PACKAGE_DIR / "resources"   # filled by the wheel's build step only, never in a checkout


@cache
def resource_root() -> Path:
    """The folder holding app.py, pages/, dashboard_ui/, sql/, static/ and sample_data/geo/ (installed copy first)."""
    return SHIPPED_DIR if (SHIPPED_DIR / "app.py").is_file() else PACKAGE_DIR.parent
