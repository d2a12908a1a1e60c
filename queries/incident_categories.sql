-- Incident categories in the selection (both periods) with their counts, for the category filter.
-- From the daily summary: a selection's periods start and end at midnight.
SELECT category, sum(n)::BIGINT AS n
FROM selected_daily($kommun_kods, $focus_areas, $prev_start::DATE, $end::DATE)
GROUP BY category
ORDER BY category
