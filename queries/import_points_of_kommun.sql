-- The positions an incident file gives for one kommun, for the check against the
-- kommun's boundary (imports/incidents.py: shapely and pyproj run in Python, not
-- in DuckDB's worker threads; one kommun at a time, as arrays, so that ten
-- million points never become Python objects at once).
SELECT row, lat, lon
FROM checked_rows
WHERE point_given IS NOT NULL AND kommun_kod = $kommun_kod AND skip IS NULL
