"""Publish: the redaction policy applied to a copy of the working data, written as a release folder (sql/release, sql/verify)."""
