-- Incident categories in the selection (both periods) with their counts, for the category filter.
SELECT category, count(*) AS n
FROM incidents
WHERE list_contains($kommun_kods, kommun_kod)
  AND (len($focus_areas) = 0 OR list_contains($focus_areas, focus_area))
  AND year BETWEEN year($prev_start) AND year($end)
  AND occurred_at >= $prev_start AND occurred_at < $end
GROUP BY category
ORDER BY category
