-- The map page's charts for the incidents of one area ($area_id), in the slices
-- of hotspot_summary ('weekday_hour', 'category', 'day'; no cells), now and before.
WITH selected AS (
    SELECT i.occurred_at >= $start AS is_now,
           isodow(i.occurred_at) - 1 AS weekday,
           hour(i.occurred_at) AS hour,
           i.occurred_at::DATE AS day,
           i.category
    FROM map_incidents($kommun_kods, $focus_areas, $prev_start, $end, $categories, $hours, $weekdays) i
    SEMI JOIN (
        SELECT incident_id
        FROM map_area_incidents($kommun_kods, $focus_areas, $prev_start, $end, $categories, $hours, $weekdays)
        WHERE area_id = $area_id
    ) a ON a.incident_id = i.incident_id
)
SELECT CASE WHEN grouping(weekday) = 0 THEN 'weekday_hour' WHEN grouping(category) = 0 THEN 'category' ELSE 'day' END
           AS slice,
       NULL::INTEGER AS cell_row, NULL::INTEGER AS cell_col, weekday, hour, category, day,
       count(*) FILTER (WHERE is_now) AS n_now,
       count(*) FILTER (WHERE NOT is_now) AS n_before,
       NULL::DOUBLE AS lat, NULL::DOUBLE AS lon
FROM selected
GROUP BY GROUPING SETS ((weekday, hour), (category), (day))
