-- The valid rows of `checked_rows`, each with its incident_id (made from the
-- content where the file gives none, so that importing the same file again
-- finds the same ids) and its `status`: new, stored (already there with the
-- same content), repeated (the same row earlier in the file), id_repeated (the
-- id earlier in the file with other content) or id_conflict (the id stored
-- with other content). `first_row` is the row where the id first appears.
WITH valid AS (
    SELECT
        * EXCLUDE (problems, skip),
        md5(concat_ws('|', source, kommun_kod, category, strftime(occurred_at, '%Y-%m-%d %H:%M:%S.%f'),
                      lat::VARCHAR, lon::VARCHAR, place_precision, coalesce(place_type, ''),
                      coalesce(description, ''))) AS content
    FROM checked_rows
    WHERE skip IS NULL AND len(problems) = 0
),
identified AS (
    -- Identical rows without an id are distinct incidents: the second gets "-2".
    SELECT * REPLACE (coalesce(incident_id, 'imp-' || left(content, 20) || CASE WHEN nth > 1 THEN '-' || nth ELSE '' END) AS incident_id)
    FROM (SELECT *, row_number() OVER (PARTITION BY incident_id, content ORDER BY row) AS nth FROM valid)
),
ranked AS (
    SELECT
        * EXCLUDE (nth),
        first_value(content) OVER by_id AS first_content,
        first_value(row) OVER by_id AS first_row,
        row_number() OVER by_id AS copy
    FROM identified
    WINDOW by_id AS (PARTITION BY incident_id ORDER BY row)
),
stored AS (
    SELECT incident_id, source, kommun_kod, category, occurred_at, lat, lon, place_precision, place_type, description
    FROM incidents
    WHERE incident_id IN (SELECT incident_id FROM identified)
)
SELECT
    r.* EXCLUDE (first_content, copy),
    CASE
        WHEN r.copy > 1 AND r.content = r.first_content THEN 'repeated'
        WHEN r.copy > 1 THEN 'id_repeated'
        WHEN s.incident_id IS NULL THEN 'new'
        WHEN s.source IS NOT DISTINCT FROM r.source
            AND s.kommun_kod IS NOT DISTINCT FROM r.kommun_kod
            AND s.category IS NOT DISTINCT FROM r.category
            AND s.occurred_at IS NOT DISTINCT FROM r.occurred_at
            AND s.place_precision IS NOT DISTINCT FROM r.place_precision
            AND s.place_type IS NOT DISTINCT FROM r.place_type
            AND s.description IS NOT DISTINCT FROM r.description
            -- A spreadsheet that rounds to 15 digits is still the same place.
            AND abs(s.lat - r.lat) < $same_place_degrees AND abs(s.lon - r.lon) < $same_place_degrees
            THEN 'stored'
        ELSE 'id_conflict'
    END AS status
FROM ranked r
LEFT JOIN stored s USING (incident_id)
