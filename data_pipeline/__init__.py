"""borderlens data pipeline, one sub-package per step of the flow (docs/architecture.md): ingest, geo, publish, export,
and views (the release query layer); the command (cli, serve) and what the steps share (db, paths, datasets, errors)."""

__version__ = "0.1.0"
