-- Secondary suppression: cells chosen in data_pipeline.publish.release so that no margin gives a suppressed cell back.
update crossings
set value = null,
    value_status = 'suppressed',
    _touched = list_append(_touched, 'value')
where _rid in (select _rid from _secondary_cells)
