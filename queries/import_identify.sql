-- The valid rows of `checked_rows`, narrow: each row's incident_id (as given,
-- or 'imp-' and its content hash, so a file imported twice yields the same ids;
-- identical rows without an id are distinct incidents, the second gets "-2")
-- and its status: new, stored (there with the same content), repeated (the
-- same row earlier in the file), id_repeated (the id earlier in the file with
-- other content; first_row says where), id_conflict (stored, other content) or
-- replaced (stored, other content, from a source whose events are edited after
-- publication, $replaceable_sources: the newer version replaces the stored one).
-- Such a source may also reuse an id for another event: a version in another
-- kommun more than $reused_after_hours from the stored one is a new incident
-- under the id and its publish time (`reused`; imports/polisen.py).
WITH given AS (
    SELECT
        row, content, source, kommun_kod, occurred_at, published_at,
        coalesce(
            incident_id,
            'imp-' || left(content, 20)
                || CASE WHEN nth > 1 THEN '-' || nth ELSE '' END
        ) AS incident_id
    FROM (
        SELECT row, incident_id, content, source, kommun_kod, occurred_at, published_at,
               row_number() OVER (PARTITION BY incident_id, content ORDER BY row) AS nth
        FROM checked_rows
        WHERE content IS NOT NULL
    )
),
numbered AS (
    SELECT g.row, g.content, g.source, reused,
           CASE WHEN reused THEN g.incident_id || '-' || strftime(coalesce(g.published_at, g.occurred_at), '%Y%m%d%H%M%S')
                ELSE g.incident_id END AS incident_id
    FROM (
        SELECT g.*, coalesce(
            list_contains($replaceable_sources, g.source) AND s.kommun_kod <> g.kommun_kod
                AND abs(date_diff('minute', s.occurred_at, g.occurred_at)) > 60 * $reused_after_hours,
            false) AS reused
        FROM given g
        LEFT JOIN (SELECT incident_id, kommun_kod, occurred_at FROM incidents
                   WHERE incident_id IN (SELECT incident_id FROM given)) s USING (incident_id)
    ) g
),
ranked AS (
    SELECT
        *,
        first_value(content) OVER by_id AS first_content,
        first_value(row) OVER by_id AS first_row,
        row_number() OVER by_id AS copy
    FROM numbered
    WINDOW by_id AS (PARTITION BY incident_id ORDER BY row)
),
stored AS (
    SELECT
        incident_id,
        import_content(source, kommun_kod, category, occurred_at, lat, lon, place_precision, place_type, description) AS content
    FROM incidents
    WHERE incident_id IN (SELECT incident_id FROM numbered)
)
SELECT
    r.row, r.incident_id, r.first_row, r.reused,
    CASE
        WHEN r.copy > 1 AND r.content = r.first_content THEN 'repeated'
        WHEN r.copy > 1 THEN 'id_repeated'
        WHEN s.incident_id IS NULL THEN 'new'
        WHEN s.content = r.content THEN 'stored'
        WHEN list_contains($replaceable_sources, r.source) THEN 'replaced'
        ELSE 'id_conflict'
    END AS status
FROM ranked r
LEFT JOIN stored s USING (incident_id)
