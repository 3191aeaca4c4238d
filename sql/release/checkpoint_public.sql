-- Flush the release database to its file so that no write-ahead log is left beside it.
checkpoint pub
