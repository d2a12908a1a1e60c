-- The latest single incidents of one grid cell in the selected period (internal mode only).
SELECT occurred_at, category, place_type, description
FROM map_incidents($kommun_kods, $focus_areas, $start, $end, $categories, $hours, $weekdays)
WHERE place_precision = 'point'
  AND floor(lat / $cell_lat) = $cell_row AND floor(lon / $cell_lon) = $cell_col
ORDER BY occurred_at DESC
LIMIT $limit
