"""Views: the release query layer the dashboard's pages call: small, aggregated answers from a published release (sql/app)."""
