-- Named places in the selected municipalities, to name hotspot cells.
SELECT name, place_type, lat, lon
FROM places
WHERE list_contains($kommun_kods, kommun_kod)
