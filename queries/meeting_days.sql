-- Per municipality, the kind and day of each of its meetings (for "sedan förra mötet").
SELECT DISTINCT unnest(kommun_kods) AS kommun_kod, kind, held_on
FROM meetings_now()
ORDER BY held_on
