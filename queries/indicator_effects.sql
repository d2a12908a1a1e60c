-- The desired effects of every pledge that covers a selected municipality,
-- whatever its period (an effect is followed up after the pledge has ended),
-- newest pledge first; limited to the selected focus areas.
SELECT p.pledge_id, p.title, p.kommun_kods, p.period_start, p.period_end,
       e.effect_id, e.text, e.indicator_id, coalesce(e.follow_up_source, '') AS follow_up_source
FROM desired_effects e
JOIN pledges p USING (pledge_id)
LEFT JOIN indicators i USING (indicator_id)
WHERE list_has_any(p.kommun_kods, $kommun_kods)
  AND any_chosen($focus_areas, [i.focus_area])
ORDER BY p.period_start DESC, p.pledge_id, e.effect_id
