-- A dropped field says so in its status column, unless the publisher had already withheld it.
update "{table}"
set "{status}" = 'dropped'
where "{flag}" and "{status}" is distinct from 'withheld_by_publisher'
