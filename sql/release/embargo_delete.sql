-- Rows under embargo are not in the release at all ({predicate}: the rule's flag and its date test).
delete from "{table}"
where {predicate}
