-- Meetings about any of the selected municipalities, latest first.
SELECT meeting_id, kind, held_on, kommun_kods, focus_areas, notes, recorded_by, recorded_at,
       kommun_names(mt.kommun_kods) AS kommuner
FROM meetings mt
WHERE list_has_any(mt.kommun_kods, $kommun_kods)
ORDER BY held_on DESC, recorded_at DESC, meeting_id DESC
