-- incident_areas as written before it carried the incidents' columns (incident_id,
-- area_id only), completed from the incidents: the same answers, at the cost of a
-- join, until the next `areas.assign` rewrites it (db._view_sql reads it so).
SELECT o.incident_id, o.area_id, i.kommun_kod, i.year, i.focus_area, i.category, i.occurred_at
FROM older o
JOIN incidents i ON i.incident_id = o.incident_id
