-- Primary suppression: a count below k becomes NULL with status 'suppressed' (zeros kept when asked).
update "{table}"
set "{field}" = null,
    "{status}" = 'suppressed',
    _touched = list_append(_touched, $field)
where "{flag}" and "{field}" is not null and "{field}" < $k and not ($keep_zeros and "{field}" = 0)
