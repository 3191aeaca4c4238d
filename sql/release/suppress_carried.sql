-- A cell the previous release suppressed stays suppressed: publishing it now would give back what it hid.
update crossings
set value = null,
    value_status = 'suppressed',
    _touched = list_append(_touched, 'value')
where _rid in (select _rid from _carried_cells)
