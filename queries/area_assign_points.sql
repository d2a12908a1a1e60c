-- The incidents of one partition that can lie in an area (those with a point
-- location), in time order, with the columns incident_areas keeps (areas.assign).
SELECT incident_id, kommun_kod, year, focus_area, category, occurred_at, lat, lon
FROM incidents
WHERE kommun_kod = $kommun_kod AND year = $year
  AND place_precision = 'point' AND lat IS NOT NULL AND lon IS NOT NULL
ORDER BY occurred_at, incident_id
