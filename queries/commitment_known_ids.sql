-- Everything a written update, meeting, pledge, commitment or action may refer to:
-- the server-side validation of forms and imports reads it fresh, not cached.
SELECT
    (SELECT coalesce(list({'pledge_id': pledge_id, 'period_end': period_end}), []) FROM pledges) AS pledges,
    (SELECT coalesce(list(commitment_id), []) FROM commitments) AS commitments,
    (SELECT coalesce(list(DISTINCT meeting_id), []) FROM meetings) AS meetings,
    (SELECT coalesce(list(kommun_kod), []) FROM municipalities) AS kommun_kods,
    (SELECT coalesce(list({'focus_area': focus_area, 'name_sv': name_sv}), []) FROM focus_areas) AS focus_areas,
    (SELECT coalesce(list(indicator_id), []) FROM indicators) AS indicators,
    (SELECT coalesce(list(action_id), []) FROM actions) AS actions
