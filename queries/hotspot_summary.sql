-- Everything the map page shows for a selection, from one scan of the incidents;
-- with $cell_row/$cell_col given, the same for that one grid cell only.
-- Slices (GROUPING SETS), each with counts now (from $start) and before:
--   'cell':         grid cells of $cell_lat x $cell_lon degrees, with the mean
--                   position of their incidents; incidents without a point
--                   location form the one cell whose row and col are NULL;
--   'weekday_hour': weekday (0 = Monday) x hour of day; incidents whose time of
--                   day is not known (time_known = false) have hour NULL;
--   'category':     incident category;
--   'day':          calendar day, for the weekly trend.
WITH selected AS (
    SELECT occurred_at >= $start AS is_now,
           CASE WHEN place_precision = 'point' THEN floor(lat / $cell_lat)::INTEGER END AS cell_row,
           CASE WHEN place_precision = 'point' THEN floor(lon / $cell_lon)::INTEGER END AS cell_col,
           isodow(occurred_at) - 1 AS weekday,
           CASE WHEN coalesce(time_known, true) THEN hour(occurred_at) END AS hour,
           occurred_at::DATE AS day,
           category,
           lat,
           lon
    FROM map_incidents($kommun_kods, $focus_areas, $prev_start, $end, $categories, $hours, $weekdays)
)
SELECT CASE
           WHEN grouping(cell_row) = 0 THEN 'cell'
           WHEN grouping(weekday) = 0 THEN 'weekday_hour'
           WHEN grouping(category) = 0 THEN 'category'
           ELSE 'day'
       END AS slice,
       cell_row, cell_col, weekday, hour, category, day,
       count(*) FILTER (WHERE is_now) AS n_now,
       count(*) FILTER (WHERE NOT is_now) AS n_before,
       avg(lat) AS lat,
       avg(lon) AS lon
FROM selected
WHERE $cell_row::INTEGER IS NULL OR (cell_row = $cell_row AND cell_col = $cell_col)
GROUP BY GROUPING SETS ((cell_row, cell_col), (weekday, hour), (category), (day))
