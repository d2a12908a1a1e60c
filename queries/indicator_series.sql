-- Every stored value of the indicators in the selected focus areas, for the
-- selected municipalities. A series (indicator x municipality) keeps one period
-- type: the indicator's own where it has values of it, else the type of its
-- most recent value, so yearly and quarterly values are never mixed in a line.
SELECT v.indicator_id, v.kommun_kod, v.period_start, v.period_type, v.value, v.target
FROM indicator_values v
JOIN indicators i USING (indicator_id)
WHERE list_contains($kommun_kods, v.kommun_kod)
  AND (len($focus_areas) = 0 OR list_contains($focus_areas, i.focus_area))
QUALIFY v.period_type = arg_max(v.period_type, (coalesce(v.period_type = i.period_type, false), v.period_start))
                        OVER (PARTITION BY v.indicator_id, v.kommun_kod)
ORDER BY v.indicator_id, v.kommun_kod, v.period_start
