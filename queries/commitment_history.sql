-- Every update of the given commitments, newest first, with the status and
-- progress before it and the meeting it was recorded at.
SELECT u.update_id, u.commitment_id, u."at", u.status, u.progress, u.note, u.author, u.meeting_id,
       lag(u.status) OVER w AS previous_status,
       lag(u.progress) OVER w AS previous_progress,
       m.held_on AS meeting_held_on, m.kind AS meeting_kind
FROM commitment_updates u
LEFT JOIN meetings_now() m USING (meeting_id)
WHERE list_contains($commitment_ids, u.commitment_id)
WINDOW w AS (PARTITION BY u.commitment_id ORDER BY u."at", u.update_id)
ORDER BY u."at" DESC, u.update_id DESC
