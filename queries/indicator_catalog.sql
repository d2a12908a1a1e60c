-- Every indicator with what is needed to label and judge it.
SELECT indicator_id, name_sv, coalesce(unit, '') AS unit, coalesce(source, '') AS source,
       coalesce(direction, 'none') AS direction, focus_area, period_type,
       coalesce(per_capita, false) AS per_capita
FROM indicators
ORDER BY name_sv
