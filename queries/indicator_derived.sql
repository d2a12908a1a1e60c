-- Incidents per municipality, focus area and period ($grain: 'month' or
-- 'quarter'), from the daily summary (periods are whole days): its cost follows
-- the number of days, not of incidents, and no single incident leaves DuckDB.
-- A row with focus_area NULL counts all incidents of the selection. Only
-- complete periods before the one holding the selection's end are counted, and
-- a period without incidents counts 0 from the municipality's first incident
-- on (no data before that is a gap, not a zero).
WITH counts AS (
    SELECT kommun_kod, focus_area, date_trunc($grain, day)::DATE AS period_start, sum(n)::BIGINT AS n
    FROM selected_daily($kommun_kods, $focus_areas, NULL::DATE, date_trunc($grain, $end))
    GROUP BY GROUPING SETS ((kommun_kod, focus_area, period_start), (kommun_kod, period_start))
),
series AS (
    SELECT kommun_kod, focus_area, min(period_start) AS first_period
    FROM counts
    GROUP BY kommun_kod, focus_area
),
starts AS (
    SELECT kommun_kod, min(first_period) AS first_period FROM series GROUP BY kommun_kod
),
calendar AS (
    SELECT s.kommun_kod, s.focus_area,
           unnest(range(st.first_period, date_trunc($grain, $end)::DATE,
                        to_months(CASE $grain WHEN 'month' THEN 1 ELSE 3 END)))::DATE AS period_start
    FROM series s
    JOIN starts st USING (kommun_kod)
)
SELECT c.kommun_kod, c.focus_area, c.period_start, coalesce(n.n, 0) AS n
FROM calendar c
LEFT JOIN counts n
  ON n.kommun_kod = c.kommun_kod AND n.focus_area IS NOT DISTINCT FROM c.focus_area AND n.period_start = c.period_start
ORDER BY c.kommun_kod, c.focus_area NULLS FIRST, c.period_start
