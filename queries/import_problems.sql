-- Every problem of an incident import, one per row and column: from the row
-- checks (`n` keeps their order), from comparing ids, and rows that could not
-- be read at all.
SELECT row, n, p['column'] AS "column", p['value'] AS value, p['code'] AS code, p['detail'] AS detail, p['km'] AS km
FROM (
    SELECT row, unnest(problems) AS p, unnest(range(len(problems))) AS n
    FROM checked_rows
    WHERE len(problems) > 0
)
UNION ALL
SELECT ids.row, 0, 'incident_id', ids.incident_id, ids.status, CAST(ids.first_row AS VARCHAR), NULL
FROM ids
WHERE ids.status IN ('id_repeated', 'id_conflict')
UNION ALL
SELECT
    row, 0, NULL, left(trim(raw, chr(13) || chr(10)), 200),
    CASE error
        WHEN 'MISSING COLUMNS' THEN 'truncated'
        WHEN 'TOO MANY COLUMNS' THEN 'too_many_fields'
        WHEN 'UNQUOTED VALUE' THEN 'bad_quote'
        ELSE 'unreadable'
    END,
    error, NULL
FROM unreadable_rows
