-- The summary table `incident_daily` (dashboard/summaries.py): incidents per
-- municipality, day, focus area and category. `summaries.refresh` runs it on
-- one partition of the incident tree at a time; a data directory written
-- before the summary existed gets it from this query as a view (db.connect).
SELECT kommun_kod, year, occurred_at::DATE AS day, focus_area, category, count(*)::INTEGER AS n
FROM incidents
GROUP BY ALL
