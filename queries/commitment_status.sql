-- Current state of every commitment whose pledge covers the selected
-- municipalities and overlaps the selected period: its latest update (by time;
-- the update id breaks a tie). Whether it is late is decided against today by
-- `commitments.is_late`.
WITH latest AS (
    SELECT commitment_id, status, progress, note, author, "at" AS updated_at,
           count(*) OVER (PARTITION BY commitment_id) AS updates
    FROM commitment_updates
    QUALIFY row_number() OVER (PARTITION BY commitment_id ORDER BY "at" DESC, update_id DESC) = 1
)
SELECT c.*,  -- every column, so that data written before `created_at` existed still reads
       p.title, p.period_start AS pledge_start,
       coalesce(l.status, 'ej_paborjad') AS status,
       coalesce(l.progress, 0) AS progress,
       l.note, l.author, l.updated_at,
       coalesce(l.updates, 0) AS updates
FROM commitments c
JOIN pledges p USING (pledge_id)
LEFT JOIN latest l USING (commitment_id)
WHERE list_has_any(p.kommun_kods, $kommun_kods)
  AND any_chosen($focus_areas, c.focus_areas)
  AND p.period_start <= $end_date AND p.period_end >= $start_date
ORDER BY p.period_start DESC, c.pledge_id, c.actor, c.commitment_id
