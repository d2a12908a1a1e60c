-- The rows an incident import adds, with the columns of the incidents table.
SELECT
    incident_id, source, kommun_kod, CAST(year(occurred_at) AS INTEGER) AS year, category, focus_area,
    occurred_at, lat, lon, place_precision, place_type, description
FROM resolved
WHERE status = 'new'
