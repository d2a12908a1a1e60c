-- One meeting in its latest version, with its municipalities' names (for the minutes).
SELECT mt.*, kommun_names(mt.kommun_kods) AS kommuner
FROM meetings_now() mt
WHERE mt.meeting_id = $meeting_id
