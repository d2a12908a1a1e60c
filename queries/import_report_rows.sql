-- Rejected rows for the report file: the row as read and all its problems.
WITH grouped AS (
    SELECT row, list({'column': "column", 'value': value, 'code': code, 'detail': detail, 'km': km} ORDER BY n) AS problems
    FROM problems
    GROUP BY row
)
SELECT g.row, g.problems, s AS cells
FROM grouped g
LEFT JOIN source_rows s USING (row)
ORDER BY g.row
