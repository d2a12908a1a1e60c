-- Per indicator and municipality: the latest value and the one before it.
-- A series keeps one period type (series_period_type), so a yearly value is
-- never compared with a quarterly one.
WITH series AS (
    SELECT v.indicator_id, v.kommun_kod, v.period_start, v.value, v.target
    FROM indicator_values v
    JOIN indicators i USING (indicator_id)
    WHERE list_contains($kommun_kods, v.kommun_kod) AND v.value IS NOT NULL
    QUALIFY v.period_type = series_period_type(v.indicator_id, v.kommun_kod, v.period_type, i.period_type, v.period_start)
),
ranked AS (
    SELECT *, row_number() OVER (PARTITION BY indicator_id, kommun_kod ORDER BY period_start DESC) AS rn
    FROM series
)
SELECT i.indicator_id, i.name_sv, i.unit, i.direction, i.focus_area, r.kommun_kod,
       max(r.period_start) FILTER (WHERE rn = 1) AS period_start,
       max(r.value) FILTER (WHERE rn = 1) AS latest,
       max(r.value) FILTER (WHERE rn = 2) AS previous,
       max(r.target) FILTER (WHERE rn = 1) AS target
FROM ranked r
JOIN indicators i USING (indicator_id)
WHERE rn <= 2 AND any_chosen($focus_areas, [i.focus_area])
GROUP BY ALL
ORDER BY i.name_sv, r.kommun_kod
