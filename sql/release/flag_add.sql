-- One boolean column per rule: does the rule's condition hold for this row (judged before any rule runs)?
alter table "{table}" add column "{flag}" boolean
