"""The dashboard's shared page parts, which the pages import: the sidebar's filters, tables with their downloads,
charts, source lines, share-and-cite and embed boxes, the printed and embedded views, and the release banner.

Layers: app.py and pages/ -> dashboard_ui -> data_pipeline.views -> the release's files (import-linter contracts in
pyproject.toml). This package holds what needs Streamlit; data_pipeline never imports it.
"""
