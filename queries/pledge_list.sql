-- Pledges covering any selected municipality whose period overlaps the
-- selected one, with their municipalities' names, newest first. With a focus
-- filter: pledges that name a selected focus area or have a commitment in one.
SELECT p.pledge_id, p.title, p.kommun_kods, p.lpo, p.period_start, p.period_end,
       p.follow_up, p.follow_up_kind, p.follow_up_due, p.summary, p.focus_areas, p.source_document,
       kommun_names(p.kommun_kods) AS kommuner
FROM pledges p
WHERE list_has_any(p.kommun_kods, $kommun_kods)
  AND p.period_start <= $end_date AND p.period_end >= $start_date
  AND (any_chosen($focus_areas, p.focus_areas)
       OR EXISTS (SELECT 1 FROM commitments c
                  WHERE c.pledge_id = p.pledge_id AND any_chosen($focus_areas, c.focus_areas)))
ORDER BY p.period_end DESC, p.period_start DESC, p.title
