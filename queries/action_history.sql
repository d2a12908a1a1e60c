-- Every update of the given actions, newest first, with the meeting it was recorded at.
SELECT u.update_id, u.action_id, u."at", u.status, u.progress, u.note, u.author, u.meeting_id,
       m.held_on AS meeting_held_on, m.kind AS meeting_kind
FROM action_updates u
LEFT JOIN meetings_now() m USING (meeting_id)
WHERE list_contains($action_ids, u.action_id)
ORDER BY u."at" DESC, u.update_id DESC
