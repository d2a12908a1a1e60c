-- The desired effects of the given pledges, each with the indicator that follows it up.
SELECT e.pledge_id, e.effect_id, e.text, e.indicator_id, e.follow_up_source,
       i.name_sv AS indicator_name, i.direction
FROM desired_effects e
LEFT JOIN indicators i USING (indicator_id)
WHERE list_contains($pledge_ids, e.pledge_id)
ORDER BY e.pledge_id, e.effect_id
