"""Build step: ship the dashboard and the data files it reads inside the package (see data_pipeline/paths.py).

The repository keeps app.py, pages/, dashboard_ui/, sql/, static/, .streamlit/ and the reference geometry at its root
(the project's layout); the wheel puts the same tree under data_pipeline/resources/, and the sdist carries it so a wheel
built from the sdist has it too. An editable install reads the checkout itself.
"""

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
# The files the installed `borderlens` reads at run time, as globs relative to the repository root.
SHIPPED = ("app.py", ".streamlit/config.toml", "pages/*.py", "dashboard_ui/*.py", "sql/**/*.sql",
           "static/**/*.geojson",
           "sample_data/geo/*.geojson", "sample_data/geo/README.md", "sample_data/geo/prebuilt/*",
           "deploy/nginx.conf.template")


def shipped_files() -> list[Path]:
    """The files SHIPPED names, relative to the root, in a stable order."""
    return sorted({path.relative_to(ROOT) for pattern in SHIPPED for path in ROOT.glob(pattern) if path.is_file()})


class BuildWithResources(build_py):
    """build_py that also copies the shipped files to data_pipeline/resources/ in the build tree."""

    def run(self):
        super().run()
        if getattr(self, "editable_mode", False):
            return
        target = Path(self.build_lib) / "data_pipeline" / "resources"
        for relative in shipped_files():
            destination = target / relative
            self.mkpath(str(destination.parent))
            self.copy_file(str(ROOT / relative), str(destination))

    def get_source_files(self):  # what the sdist carries
        return [*super().get_source_files(), *(str(relative) for relative in shipped_files())]


setup(cmdclass={"build_py": BuildWithResources})
