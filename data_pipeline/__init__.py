"""borderlens data pipeline: profiles, staging, canonical load, validation, geo, policy, release, CLI."""

__version__ = "0.1.0"
