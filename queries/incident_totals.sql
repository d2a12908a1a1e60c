-- Incidents in the selected period and in the previous period of equal length.
-- From the daily summary: a selection's periods start and end at midnight.
SELECT
    coalesce(sum(n) FILTER (WHERE day >= $start::DATE), 0)::BIGINT AS current,
    coalesce(sum(n) FILTER (WHERE day < $start::DATE), 0)::BIGINT AS previous
FROM selected_daily($kommun_kods, $focus_areas, $prev_start::DATE, $end::DATE)
