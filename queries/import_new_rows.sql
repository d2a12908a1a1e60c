-- The rows an incident import adds, with the columns of the incidents table.
SELECT
    ids.incident_id, c.source, c.kommun_kod, CAST(year(c.occurred_at) AS INTEGER) AS year, c.category,
    c.focus_area, c.occurred_at, c.lat, c.lon, c.place_precision, c.place_type, c.description
FROM checked_rows c
JOIN ids USING (row)
WHERE ids.status = 'new'
