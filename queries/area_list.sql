-- The stored areas of the given municipalities (all when $all_kommuner), geometry as WKB.
SELECT area_id, kommun_kod, name, kind, ST_AsWKB(geometry) AS geometry
FROM areas
WHERE $all_kommuner OR list_contains($kommun_kods, kommun_kod)
ORDER BY kommun_kod, name, area_id
