-- Incidents per weekday (0 = Monday) and hour of day for the selection.
SELECT isodow(occurred_at) - 1 AS weekday, hour(occurred_at) AS hour, count(*) AS n
FROM incidents
WHERE list_contains($kommun_kods, kommun_kod)
  AND (len($focus_areas) = 0 OR list_contains($focus_areas, focus_area))
  AND year BETWEEN year($start) AND year($end)
  AND occurred_at >= $start AND occurred_at < $end
GROUP BY ALL
