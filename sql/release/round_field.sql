-- round_to: the value to the nearest multiple of the base (then to 9 decimals, so no float dust is published).
update "{table}"
set "{field}" = round(round("{field}" / $base) * $base, 9),
    _touched = list_append(_touched, $field)
where "{flag}" and "{field}" is not null
