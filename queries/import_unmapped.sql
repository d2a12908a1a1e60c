-- Categories of new rows that no focus area lists, with how many rows each.
SELECT c.category, count(*) AS n
FROM checked_rows c
JOIN ids USING (row)
WHERE ids.status = 'new' AND c.focus_area IS NULL
GROUP BY c.category
ORDER BY n DESC, c.category
