-- Indicators a commitment can be followed up with (for the commitment form).
SELECT indicator_id, name_sv, direction
FROM indicators
ORDER BY name_sv
