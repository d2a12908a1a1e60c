-- Every problem of an incident import, one per row and column: from the row
-- checks, from comparing ids, and rows that could not be read at all.
SELECT row, p['column'] AS "column", p['value'] AS value, p['code'] AS code, p['detail'] AS detail, p['km'] AS km
FROM (SELECT row, unnest(problems) AS p FROM checked_rows)
UNION ALL
SELECT row, 'incident_id', incident_id, status, CAST(first_row AS VARCHAR), NULL
FROM resolved
WHERE status IN ('id_repeated', 'id_conflict')
UNION ALL
SELECT
    row, NULL, left(trim(raw, chr(13) || chr(10)), 200),
    CASE error
        WHEN 'MISSING COLUMNS' THEN 'truncated'
        WHEN 'TOO MANY COLUMNS' THEN 'too_many_fields'
        WHEN 'UNQUOTED VALUE' THEN 'bad_quote'
        ELSE 'unreadable'
    END,
    error, NULL
FROM unreadable_rows
