-- Categories of new rows that no focus area lists, with how many rows each.
SELECT category, count(*) AS n
FROM resolved
WHERE status = 'new' AND focus_area IS NULL
GROUP BY category
ORDER BY n DESC, category
