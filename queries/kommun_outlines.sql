-- The selected municipalities: centre and rough radius (the grid's extent) and
-- their boundary as WKB where the data directory has one (the maps' outlines).
SELECT m.kommun_kod, m.kommun, m.lat, m.lon, coalesce(m.radius_km, 10) AS radius_km,
       ST_AsWKB(b.geometry) AS geometry
FROM municipalities m
LEFT JOIN boundaries b ON b.kommun_kod = m.kommun_kod AND b.kind = 'kommun'
WHERE list_contains($kommun_kods, m.kommun_kod)
ORDER BY m.kommun
