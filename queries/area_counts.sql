-- Incidents per area of the map page's selection, now (from $start) and before;
-- an incident in two overlapping areas counts in both (see dashboard/areas.py).
SELECT a.area_id,
       count(*) FILTER (WHERE i.occurred_at >= $start) AS n_now,
       count(*) FILTER (WHERE i.occurred_at < $start) AS n_before
FROM map_incidents($kommun_kods, $focus_areas, $prev_start, $end, $categories, $hours, $weekdays) i
JOIN incident_areas a ON a.incident_id = i.incident_id
GROUP BY a.area_id
