-- Population by kommun and year, the denominator of per-capita figures (dashboard.population).
SELECT kommun_kod, year, population
FROM population
ORDER BY kommun_kod, year
