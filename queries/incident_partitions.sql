-- The partitions of the incident tree (kommun, year), in order.
SELECT DISTINCT kommun_kod, year
FROM incidents
ORDER BY kommun_kod, year
