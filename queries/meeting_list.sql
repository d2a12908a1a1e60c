-- Meetings about any of the selected municipalities, latest first (each in its
-- latest version; every column, so data written before a column existed still reads).
SELECT mt.*, kommun_names(mt.kommun_kods) AS kommuner
FROM meetings_now() mt
WHERE list_has_any(mt.kommun_kods, $kommun_kods)
ORDER BY held_on DESC, recorded_at DESC, meeting_id DESC
