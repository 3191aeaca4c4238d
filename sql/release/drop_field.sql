-- A dropped field stays as a column of NULLs so that readers keep one schema.
update "{table}"
set "{field}" = null,
    _touched = list_append(_touched, $field)
where "{flag}"
