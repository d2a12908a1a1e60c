-- Macros the queries share, defined on every connection by `db.connect`. A
-- rule the queries have in common is written here, once.

-- Nothing chosen means everything (no focus area chosen: every focus area);
-- else one of `items` must be chosen.
CREATE OR REPLACE MACRO any_chosen(chosen, items) AS len(chosen) = 0 OR list_has_any(chosen, items);

-- Whether a row is in a selection: its municipalities and focus areas, in the
-- half-open period [from_ts, to_ts); from_ts NULL means from the first one.
-- The condition on the partition column `year` lets DuckDB skip the files of
-- other years, so keep it beside the one on the time.
CREATE OR REPLACE MACRO in_selection(kommun_kods, focus_areas, from_ts, to_ts, kommun_kod, focus_area, year, moment) AS
    list_contains(kommun_kods, kommun_kod)
    AND any_chosen(focus_areas, [focus_area])
    AND year <= year(to_ts) AND moment < to_ts
    AND (from_ts IS NULL OR (year >= year(from_ts) AND moment >= from_ts));

-- The incidents of a selection.
CREATE OR REPLACE MACRO selected_incidents(kommun_kods, focus_areas, from_ts, to_ts) AS TABLE
    SELECT *
    FROM incidents
    WHERE in_selection(kommun_kods, focus_areas, from_ts, to_ts, kommun_kod, focus_area, year, occurred_at);

-- The same selection from the daily summary `incident_daily` (counts in `n`),
-- for periods that start and end at midnight: a wide selection reads a row per
-- day and group, not per incident.
CREATE OR REPLACE MACRO selected_daily(kommun_kods, focus_areas, from_day, to_day) AS TABLE
    SELECT *
    FROM incident_daily
    WHERE in_selection(kommun_kods, focus_areas, from_day, to_day, kommun_kod, focus_area, year, day);

-- The map page's own filter: categories (none chosen: all), hours of the day
-- and weekdays (0 = Monday).
CREATE OR REPLACE MACRO in_map_filter(categories, hours, weekdays, category, moment) AS
    any_chosen(categories, [category])
    AND list_contains(hours, hour(moment))
    AND list_contains(weekdays, isodow(moment) - 1);

-- A selection narrowed by the map page's own filter.
CREATE OR REPLACE MACRO map_incidents(kommun_kods, focus_areas, from_ts, to_ts, categories, hours, weekdays) AS TABLE
    SELECT *
    FROM selected_incidents(kommun_kods, focus_areas, from_ts, to_ts)
    WHERE in_map_filter(categories, hours, weekdays, category, occurred_at);

-- The point incidents of `map_incidents` in areas: a row per incident and area it lies in.
CREATE OR REPLACE MACRO map_area_incidents(kommun_kods, focus_areas, from_ts, to_ts, categories, hours, weekdays) AS TABLE
    SELECT *
    FROM incident_areas
    WHERE in_selection(kommun_kods, focus_areas, from_ts, to_ts, kommun_kod, focus_area, year, occurred_at)
      AND in_map_filter(categories, hours, weekdays, category, occurred_at);

-- The names of the municipalities with the given codes, alphabetical, comma separated.
CREATE OR REPLACE MACRO kommun_names(kommun_kods) AS (
    SELECT string_agg(m.kommun, ', ' ORDER BY m.kommun)
    FROM municipalities m
    WHERE list_contains(kommun_kods, m.kommun_kod)
);

-- The period type an indicator series (indicator x municipality) keeps, as a
-- window over its values: the indicator's own type where it has values of it,
-- else the type of its most recent value, so that yearly and quarterly values
-- are never mixed in one series.
CREATE OR REPLACE MACRO series_period_type(indicator_id, kommun_kod, period_type, own_type, period_start) AS
    arg_max(period_type, (coalesce(period_type = own_type, false), period_start))
        OVER (PARTITION BY indicator_id, kommun_kod);

-- Meetings as they stand: a meeting recorded again (as it ends, with its agenda
-- and decided focus areas) is its latest version.
CREATE OR REPLACE MACRO meetings_now() AS TABLE
    SELECT *
    FROM meetings
    QUALIFY row_number() OVER (PARTITION BY meeting_id ORDER BY recorded_at DESC NULLS LAST) = 1;
