-- The incidents that can lie in an area: those with a point location.
SELECT incident_id, lat, lon
FROM incidents
WHERE place_precision = 'point' AND lat IS NOT NULL AND lon IS NOT NULL
