-- The rows an incident import adds (new, and newer versions of stored ones),
-- with the columns of the incidents table.
SELECT
    ids.incident_id, c.source, c.kommun_kod, CAST(year(c.occurred_at) AS INTEGER) AS year, c.category,
    c.focus_area, c.occurred_at, c.lat, c.lon, c.place_precision, c.place_type, c.description,
    c.published_at, c.place_name, c.time_known
FROM checked_rows c
JOIN ids USING (row)
WHERE ids.status IN ('new', 'replaced')
