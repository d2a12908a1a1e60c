-- Current state of every action (a meeting's decision) taken at a meeting about
-- any of the selected municipalities: its latest update (by time; the update id
-- breaks a tie), with the meeting it was decided at.
WITH latest AS (
    SELECT action_id, status, progress, note, author, "at" AS updated_at,
           count(*) OVER (PARTITION BY action_id) AS updates
    FROM action_updates
    QUALIFY row_number() OVER (PARTITION BY action_id ORDER BY "at" DESC, update_id DESC) = 1
)
SELECT a.*,
       m.held_on AS meeting_held_on, m.kind AS meeting_kind,
       coalesce(l.status, 'ej_paborjad') AS status,
       coalesce(l.progress, 0) AS progress,
       l.note, l.author, l.updated_at,
       coalesce(l.updates, 0) AS updates
FROM actions a
JOIN meetings_now() m USING (meeting_id)
LEFT JOIN latest l USING (action_id)
WHERE list_has_any(m.kommun_kods, $kommun_kods)
  AND (a.focus_area IS NULL OR any_chosen($focus_areas, [a.focus_area]))
ORDER BY m.held_on DESC, a.actor, a.due_date, a.action_id
