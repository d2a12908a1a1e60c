-- Incidents per area of the map page's selection, now (from $start) and before;
-- an incident in two overlapping areas counts in both (see dashboard/areas.py).
SELECT area_id,
       count(*) FILTER (WHERE occurred_at >= $start) AS n_now,
       count(*) FILTER (WHERE occurred_at < $start) AS n_before
FROM map_area_incidents($kommun_kods, $focus_areas, $prev_start, $end, $categories, $hours, $weekdays)
GROUP BY area_id
