insert into _redactions
values ($rule_id, $action, $dataset, $field, $publisher, $reason, $rows_affected, $k, $precision, $precision_km,
        $detail)
