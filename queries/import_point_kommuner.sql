-- The kommuner an incident file gives positions in (see import_points_of_kommun).
SELECT DISTINCT kommun_kod
FROM checked_rows
WHERE point_given IS NOT NULL AND kommun_kod IS NOT NULL AND skip IS NULL
ORDER BY kommun_kod
