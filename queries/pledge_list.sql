-- Pledges covering any selected municipality whose period overlaps the
-- selected one, with their municipalities' names, newest first. With a focus
-- filter: pledges that name a selected focus area or have a commitment in one.
SELECT p.pledge_id, p.title, p.kommun_kods, p.lpo, p.period_start, p.period_end,
       p.follow_up, p.follow_up_kind, p.follow_up_due, p.summary, p.focus_areas, p.source_document,
       (SELECT string_agg(m.kommun, ', ' ORDER BY m.kommun)
        FROM municipalities m WHERE list_contains(p.kommun_kods, m.kommun_kod)) AS kommuner
FROM pledges p
WHERE list_has_any(p.kommun_kods, $kommun_kods)
  AND p.period_start <= $end_date AND p.period_end >= $start_date
  AND (len($focus_areas) = 0
       OR list_has_any(p.focus_areas, $focus_areas)
       OR EXISTS (SELECT 1 FROM commitments c
                  WHERE c.pledge_id = p.pledge_id AND list_has_any(c.focus_areas, $focus_areas)))
ORDER BY p.period_end DESC, p.period_start DESC, p.title
