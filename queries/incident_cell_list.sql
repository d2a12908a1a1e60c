-- The latest single incidents of one grid cell in the selected period (internal mode only).
SELECT occurred_at, category, place_type, description
FROM incidents
WHERE list_contains($kommun_kods, kommun_kod)
  AND (len($focus_areas) = 0 OR list_contains($focus_areas, focus_area))
  AND (len($categories) = 0 OR list_contains($categories, category))
  AND list_contains($hours, hour(occurred_at))
  AND list_contains($weekdays, isodow(occurred_at) - 1)
  AND year BETWEEN year($start) AND year($end)
  AND occurred_at >= $start AND occurred_at < $end
  AND place_precision = 'point'
  AND floor(lat / $cell_lat) = $cell_row AND floor(lon / $cell_lon) = $cell_col
ORDER BY occurred_at DESC
LIMIT $limit
