"""Ingest: publisher files read as text, staged through a profile, validated and loaded into the working database (sql/staging, sql/ingest, sql/canonical)."""
