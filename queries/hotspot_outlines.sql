-- The selected municipalities' centres and rough radii: the map's extent and outlines.
SELECT kommun_kod, kommun, lat, lon, coalesce(radius_km, 10) AS radius_km
FROM municipalities
WHERE list_contains($kommun_kods, kommun_kod)
ORDER BY kommun
