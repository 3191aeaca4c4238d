insert into _ruled_fields
values ($dataset, $field, $k)
