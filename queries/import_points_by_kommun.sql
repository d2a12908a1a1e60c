-- The positions an incident file gives, per kommun, for the check against the
-- kommun's boundary (imports/incidents.py: shapely and pyproj run in Python, not
-- in DuckDB's worker threads).
SELECT kommun_kod, list(row) AS rows, list(lat) AS lat, list(lon) AS lon
FROM checked_rows
WHERE point_given IS NOT NULL AND kommun_kod IS NOT NULL AND skip IS NULL
GROUP BY kommun_kod
