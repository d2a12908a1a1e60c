-- The first problems of an incident import, in file order, for the report on screen.
SELECT row, "column", value, code, detail, km
FROM problems
ORDER BY row, n
LIMIT $limit
