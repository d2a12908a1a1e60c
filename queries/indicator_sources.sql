-- Each source id an indicator records ("kolada:N07540"), for imports from that source.
SELECT indicator_id, unnest(source_ids) AS source_id
FROM indicators
ORDER BY indicator_id
