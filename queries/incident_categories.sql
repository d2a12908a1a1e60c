-- Incident categories present in the selection (both periods), for the category filter.
SELECT DISTINCT category
FROM incidents
WHERE list_contains($kommun_kods, kommun_kod)
  AND (len($focus_areas) = 0 OR list_contains($focus_areas, focus_area))
  AND year BETWEEN year($prev_start) AND year($end)
  AND occurred_at >= $prev_start AND occurred_at < $end
ORDER BY category
