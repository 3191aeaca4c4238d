-- The release this one follows (publish --previous, or the release being replaced), attached read-only.
attach $path as prev (read_only)
