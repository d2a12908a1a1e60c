-- Municipalities for the filter and for per-capita figures.
SELECT kommun_kod, kommun, coalesce(lpo, '') AS lpo, population, lat, lon
FROM municipalities
ORDER BY kommun
