-- Every indicator as defined, for the form that corrects a definition.
SELECT indicator_id, name_sv, coalesce(unit, '') AS unit, coalesce(source, '') AS source,
       coalesce(direction, 'none') AS direction, focus_area, coalesce(period_type, 'year') AS period_type,
       coalesce(per_capita, false) AS per_capita, coalesce(source_ids, []) AS source_ids
FROM indicators
ORDER BY name_sv
