-- Parse and check every incoming incident row (view `incoming`: row number and
-- canonical columns as text). One row out per row in: the parsed values and
-- `problems`, a list of {column, value, code, detail, km}; empty means valid.
-- Rows that are no incidents (police summaries) carry `skip` and no problems.
-- `content` (see import_content) identifies what a valid row says.
WITH cleaned AS (
    SELECT
        row,
        nullif(trim(incident_id), '') AS incident_id,
        coalesce(nullif(trim(source), ''), $default_source) AS source,
        nullif(trim(kommun), '') AS kommun_text,
        nullif(trim(kommun_kod), '') AS kommun_kod_text,
        nullif(trim(category), '') AS category_text,
        nullif(trim(occurred_at), '') AS occurred_text,
        nullif(trim(lat), '') AS lat_text,
        nullif(trim(lon), '') AS lon_text,
        nullif(trim(sweref99_n), '') AS north_text,
        nullif(trim(sweref99_e), '') AS east_text,
        lower(nullif(trim(place_precision), '')) AS precision_text,
        nullif(trim(place_type), '') AS place_type,
        nullif(trim(place_name), '') AS place_name,
        nullif(trim(published_at), '') AS published_text,
        nullif(description, '') AS description,
        skip
    FROM incoming
    -- Rows with no value at all (Excel's trailing ";;;;" lines) are not rows.
    WHERE coalesce(incident_id, kommun, kommun_kod, category, occurred_at, lat, lon, sweref99_n, sweref99_e,
                   place_type, place_name, place_precision, nullif(trim(description), '')) IS NOT NULL
),
kommun_keys AS (  -- every way of writing a municipality that identifies it
    SELECT DISTINCT key, kommun_kod
    FROM municipalities, unnest([lower(kommun), lower(kommun) || ' kommun', lower(kommun) || 's kommun', kommun_kod]) AS k(key)
),
category_map AS (  -- category (any case) -> its spelling and focus area in focus_areas
    SELECT lower(trim(category)) AS key, arg_min(category, focus_area) AS category, min(focus_area) AS focus_area
    FROM (SELECT focus_area, unnest(categories) AS category FROM focus_areas)
    GROUP BY 1
),
parsed AS (
    SELECT
        c.*,
        import_time_parts(occurred_text) AS time_parts,
        import_local_time(import_time_parts(occurred_text)) AS occurred_at,
        import_local_time(import_time_parts(published_text)) AS published_at,
        by_name.kommun_kod AS kommun_by_name,
        by_code.kommun_kod AS kommun_by_code,
        pk.kommun_kod AS kommun_by_point,
        coalesce(cm.category, c.category_text) AS category,
        cm.focus_area,
        import_number(lat_text) AS lat_num,
        import_number(lon_text) AS lon_num,
        -- In every Swedish projected system north (> 6 000 000) exceeds east (< 2 000 000):
        -- X/Y columns ($axes_by_value) are read by value, whatever their order.
        CASE WHEN $axes_by_value THEN greatest(import_number(north_text), import_number(east_text)) ELSE import_number(north_text) END AS north_num,
        CASE WHEN $axes_by_value THEN least(import_number(north_text), import_number(east_text)) ELSE import_number(east_text) END AS east_num,
        lat_text IS NOT NULL OR lon_text IS NOT NULL AS has_wgs84,
        north_text IS NOT NULL OR east_text IS NOT NULL AS has_sweref
    FROM cleaned c
    LEFT JOIN kommun_keys by_name ON by_name.key = lower(c.kommun_text)
    LEFT JOIN municipalities by_code
        ON regexp_full_match(c.kommun_kod_text, '[0-9]{1,4}') AND by_code.kommun_kod = lpad(c.kommun_kod_text, 4, '0')
    LEFT JOIN category_map cm ON cm.key = lower(c.category_text)
    -- A file without a kommun column: the served kommun each point lies in (imports/incidents.py).
    LEFT JOIN point_kommun pk ON pk.row = c.row
),
placed AS (
    SELECT
        p.*,
        m.kommun, m.lat AS kommun_lat, m.lon AS kommun_lon,
        CASE
            WHEN has_wgs84 THEN {'lat': lat_num, 'lon': lon_num}
            WHEN has_sweref AND north_num IS NOT NULL AND east_num IS NOT NULL
                THEN projected_to_wgs84(north_num, east_num, $crs)
        END AS point,
        CASE WHEN has_wgs84 THEN 'lat' ELSE 'sweref99_n' END AS point_column,
        CASE WHEN has_wgs84 THEN lat_text || ' / ' || lon_text ELSE north_text || ' / ' || east_text END AS point_text,
        CASE
            WHEN precision_text IS NULL THEN CASE WHEN has_wgs84 OR has_sweref THEN 'point' ELSE 'kommun' END
            WHEN precision_text IN ('point', 'punkt') THEN 'point'
            WHEN precision_text = 'kommun' THEN 'kommun'
            WHEN precision_text IN ('lan', 'län') AND kommun_kod_text IS NOT NULL THEN 'lan'
        END AS place_precision
    FROM parsed p
    LEFT JOIN municipalities m ON m.kommun_kod = coalesce(p.kommun_by_code, p.kommun_by_name, p.kommun_by_point)
),
checked AS (
    SELECT
        *,
        point.lat BETWEEN $lat_min AND $lat_max AND point.lon BETWEEN $lon_min AND $lon_max AS in_sweden,
        point.lon BETWEEN $lat_min AND $lat_max AND point.lat BETWEEN $lon_min AND $lon_max AS swapped_in_sweden
    FROM placed
)
SELECT
    *,
    CASE WHEN skip IS NULL AND len(problems) = 0 THEN
        import_content(source, kommun_kod, category, occurred_at, lat, lon, place_precision, place_type, description)
    END AS content
FROM (
SELECT
    row, skip, incident_id, source,
    coalesce(kommun_by_code, kommun_by_name, kommun_by_point) AS kommun_kod,
    category, focus_area, occurred_at,
    coalesce(point.lat, kommun_lat) AS lat,
    coalesce(point.lon, kommun_lon) AS lon,
    place_precision, place_type, description, published_at, place_name,
    time_parts.h <> '' AS time_known,
    CASE WHEN skip IS NOT NULL THEN [] ELSE list_filter([
        CASE WHEN occurred_text IS NULL THEN {'column': 'occurred_at', 'value': NULL, 'code': 'missing', 'detail': NULL, 'km': NULL::DOUBLE} END,
        CASE WHEN occurred_text IS NOT NULL AND time_parts.y = '' THEN {'column': 'occurred_at', 'value': occurred_text, 'code': 'date_unparseable', 'detail': NULL, 'km': NULL} END,
        CASE WHEN time_parts.y <> '' AND occurred_at IS NULL THEN {'column': 'occurred_at', 'value': occurred_text, 'code': 'date_impossible', 'detail': NULL, 'km': NULL} END,
        CASE WHEN occurred_at < $earliest THEN {'column': 'occurred_at', 'value': occurred_text, 'code': 'date_too_early', 'detail': NULL, 'km': NULL} END,
        CASE WHEN published_text IS NOT NULL AND published_at IS NULL THEN {'column': 'published_at', 'value': published_text, 'code': 'date_unparseable', 'detail': NULL, 'km': NULL} END,
        CASE WHEN occurred_at > $now THEN {'column': 'occurred_at', 'value': occurred_text, 'code': 'date_future', 'detail': NULL, 'km': NULL} END,
        CASE WHEN kommun_text IS NULL AND kommun_kod_text IS NULL AND kommun_by_point IS NULL AND point IS NULL THEN {'column': 'kommun', 'value': NULL, 'code': 'missing', 'detail': NULL, 'km': NULL} END,
        CASE WHEN kommun_text IS NULL AND kommun_kod_text IS NULL AND point IS NOT NULL AND kommun_by_point IS NULL AND in_sweden THEN {'column': point_column, 'value': point_text, 'code': 'no_served_kommun', 'detail': NULL, 'km': NULL} END,
        CASE WHEN kommun_by_name IS NULL AND lower(kommun_text) LIKE '% län' THEN {'column': 'kommun', 'value': kommun_text, 'code': 'county', 'detail': NULL, 'km': NULL} END,
        CASE WHEN kommun_by_name IS NULL AND kommun_text IS NOT NULL AND lower(kommun_text) NOT LIKE '% län' THEN {'column': 'kommun', 'value': kommun_text, 'code': 'kommun_unknown', 'detail': NULL, 'km': NULL} END,
        CASE WHEN kommun_by_code IS NULL AND kommun_kod_text IS NOT NULL THEN {'column': 'kommun_kod', 'value': kommun_kod_text, 'code': 'kommun_kod_unknown', 'detail': NULL, 'km': NULL} END,
        CASE WHEN kommun_by_code <> kommun_by_name THEN {'column': 'kommun_kod', 'value': kommun_kod_text, 'code': 'kommun_conflict', 'detail': kommun_text, 'km': NULL} END,
        CASE WHEN category_text IS NULL THEN {'column': 'category', 'value': NULL, 'code': 'missing', 'detail': NULL, 'km': NULL} END,
        CASE WHEN lat_text IS NOT NULL AND lat_num IS NULL THEN {'column': 'lat', 'value': lat_text, 'code': 'not_number', 'detail': NULL, 'km': NULL} END,
        CASE WHEN lon_text IS NOT NULL AND lon_num IS NULL THEN {'column': 'lon', 'value': lon_text, 'code': 'not_number', 'detail': NULL, 'km': NULL} END,
        CASE WHEN NOT has_wgs84 AND north_text IS NOT NULL AND north_num IS NULL THEN {'column': 'sweref99_n', 'value': north_text, 'code': 'not_number', 'detail': NULL, 'km': NULL} END,
        CASE WHEN NOT has_wgs84 AND east_text IS NOT NULL AND east_num IS NULL THEN {'column': 'sweref99_e', 'value': east_text, 'code': 'not_number', 'detail': NULL, 'km': NULL} END,
        CASE WHEN has_wgs84 AND lat_text IS NULL THEN {'column': 'lat', 'value': NULL, 'code': 'missing_pair', 'detail': 'lon', 'km': NULL} END,
        CASE WHEN has_wgs84 AND lon_text IS NULL THEN {'column': 'lon', 'value': NULL, 'code': 'missing_pair', 'detail': 'lat', 'km': NULL} END,
        CASE WHEN NOT has_wgs84 AND has_sweref AND north_text IS NULL THEN {'column': 'sweref99_n', 'value': NULL, 'code': 'missing_pair', 'detail': 'sweref99_e', 'km': NULL} END,
        CASE WHEN NOT has_wgs84 AND has_sweref AND east_text IS NULL THEN {'column': 'sweref99_e', 'value': NULL, 'code': 'missing_pair', 'detail': 'sweref99_n', 'km': NULL} END,
        CASE WHEN precision_text IN ('lan', 'län') AND place_precision IS NULL THEN {'column': 'place_precision', 'value': precision_text, 'code': 'county', 'detail': NULL, 'km': NULL} END,
        CASE WHEN precision_text IS NOT NULL AND place_precision IS NULL AND precision_text NOT IN ('lan', 'län') THEN {'column': 'place_precision', 'value': precision_text, 'code': 'precision_unknown', 'detail': NULL, 'km': NULL} END,
        CASE WHEN place_precision = 'point' AND NOT has_wgs84 AND NOT has_sweref THEN {'column': 'lat', 'value': NULL, 'code': 'missing', 'detail': NULL, 'km': NULL} END,
        CASE WHEN point.lat IS NOT NULL AND point.lon IS NOT NULL AND NOT coalesce(in_sweden, false) THEN {'column': point_column, 'value': point_text, 'code': CASE WHEN swapped_in_sweden THEN 'outside_sweden_swapped' WHEN has_sweref AND NOT has_wgs84 THEN 'outside_sweden_crs' ELSE 'outside_sweden' END, 'detail': north_num || ' ' || east_num, 'km': NULL} END
    ], lambda p: p IS NOT NULL) END AS problems,
    -- A position in Sweden from the file, for the check against the kommun's boundary
    -- that follows (import_points_of_kommun, import_outside_kommun).
    CASE WHEN coalesce(in_sweden, false) THEN {'column': point_column, 'value': point_text} END AS point_given
FROM checked
)
