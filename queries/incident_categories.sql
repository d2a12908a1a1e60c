-- Incident categories in the selection (both periods) with their counts, for the category filter.
SELECT category, count(*) AS n
FROM selected_incidents($kommun_kods, $focus_areas, $prev_start, $end)
GROUP BY category
ORDER BY category
