-- Every stored value of the indicators in the selected focus areas, for the
-- selected municipalities. A series (indicator x municipality) keeps one period
-- type (series_period_type), so yearly and quarterly values are never mixed in a line.
SELECT v.indicator_id, v.kommun_kod, v.period_start, v.period_type, v.value, v.target
FROM indicator_values v
JOIN indicators i USING (indicator_id)
WHERE list_contains($kommun_kods, v.kommun_kod)
  AND any_chosen($focus_areas, [i.focus_area])
QUALIFY v.period_type = series_period_type(v.indicator_id, v.kommun_kod, v.period_type, i.period_type, v.period_start)
ORDER BY v.indicator_id, v.kommun_kod, v.period_start
