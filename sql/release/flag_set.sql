-- {condition} is compiled by data_pipeline.publish.policy from the rule's `when`: quoted columns, ? for every value.
update "{table}"
set "{flag}" = {condition}
