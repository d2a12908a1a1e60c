-- Incidents in the selected period and in the previous period of equal length.
SELECT
    count(*) FILTER (WHERE occurred_at >= $start) AS current,
    count(*) FILTER (WHERE occurred_at < $start) AS previous
FROM selected_incidents($kommun_kods, $focus_areas, $prev_start, $end)
