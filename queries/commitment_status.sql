-- Current state of every commitment whose pledge covers the selected
-- municipalities and overlaps the selected period: its latest update.
WITH latest AS (
    SELECT commitment_id,
           arg_max(status, "at") AS status,
           arg_max(progress, "at") AS progress,
           max("at") AS updated_at
    FROM commitment_updates
    GROUP BY commitment_id
)
SELECT c.commitment_id, c.pledge_id, p.title, c.actor, c.text, c.due_date,
       coalesce(l.status, 'ej_paborjad') AS status,
       coalesce(l.progress, 0) AS progress,
       l.updated_at,
       c.due_date < $end_date AND coalesce(l.status, 'ej_paborjad') NOT IN ('genomford', 'avbruten') AS is_late
FROM commitments c
JOIN pledges p USING (pledge_id)
LEFT JOIN latest l USING (commitment_id)
WHERE list_has_any(p.kommun_kods, $kommun_kods)
  AND (len($focus_areas) = 0 OR list_has_any(c.focus_areas, $focus_areas))
  AND p.period_start <= $end_date AND p.period_end >= $start_date
ORDER BY p.period_start DESC, c.pledge_id, c.actor, c.commitment_id
