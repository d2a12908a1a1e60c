-- Helpers for the incident import queries (defined on every connection by `db.connect`).

-- '1 234,5', '58,07' or '58.07' -> DOUBLE; NULL when the text is no finite number.
CREATE OR REPLACE MACRO import_finite(x) AS CASE WHEN isfinite(x) THEN x END;
CREATE OR REPLACE MACRO import_number(txt) AS
    import_finite(try_cast(replace(replace(replace(txt, ' ', ''), chr(160), ''), ',', '.') AS DOUBLE));

-- Great-circle distance in km (haversine, mean Earth radius).
CREATE OR REPLACE MACRO haversine_km(lat1, lon1, lat2, lon2) AS
    2 * 6371.0 * asin(sqrt(
        pow(sin(radians(lat2 - lat1) / 2), 2)
        + cos(radians(lat1)) * cos(radians(lat2)) * pow(sin(radians(lon2 - lon1) / 2), 2)
    ));

-- Date and time as people write them: 2024-03-01, 2024-03-01 22:15, 2024-03-01T22:15:30,
-- 2024-03-01 kl. 22.15, with optional fractions and a UTC offset (Z, +01, +01:00, +0100).
CREATE OR REPLACE MACRO import_time_parts(txt) AS regexp_extract(
    txt,
    '^(\d{4})-(\d{1,2})-(\d{1,2})(?:(?:T|\s+(?:kl\.?\s*)?)(\d{1,2})[:.](\d{2})(?:[:.](\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$',
    ['y', 'mo', 'd', 'h', 'mi', 's', 'frac', 'tz']
);

-- Local Swedish time from the parts; NULL for an impossible date such as 2024-02-30.
CREATE OR REPLACE MACRO import_time_text(p) AS printf(
    '%s-%s-%s %s:%s:%s%s', p['y'], lpad(p['mo'], 2, '0'), lpad(p['d'], 2, '0'),
    lpad(coalesce(nullif(p['h'], ''), '0'), 2, '0'), coalesce(nullif(p['mi'], ''), '00'),
    coalesce(nullif(p['s'], ''), '00'), CASE WHEN p['frac'] <> '' THEN '.' || p['frac'] ELSE '' END
);
CREATE OR REPLACE MACRO import_local_time(p) AS CASE
    WHEN p['tz'] = '' THEN try_cast(import_time_text(p) AS TIMESTAMP)
    ELSE timezone('Europe/Stockholm', try_cast(import_time_text(p) || replace(p['tz'], 'Z', '+00') AS TIMESTAMPTZ))
END;

-- What makes two incidents the same: an md5 over every stored column but the
-- id and the derived focus area. Coordinates are rounded to 1e-7 degrees (1 cm),
-- so a spreadsheet that keeps 15 digits still names the same place.
CREATE OR REPLACE MACRO import_content(source, kommun_kod, category, occurred_at, lat, lon, place_precision, place_type, description) AS
    md5(concat_ws(
        '|', source, kommun_kod, category, strftime(occurred_at, '%Y-%m-%d %H:%M:%S.%f'),
        round(lat, 7)::VARCHAR, round(lon, 7)::VARCHAR, place_precision, coalesce(place_type, ''),
        coalesce(description, '')
    ));
