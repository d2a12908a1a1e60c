-- What an incident import would do: rows read, new, already there, rejected.
SELECT
    (SELECT count(*) FROM checked_rows WHERE skip IS NULL) + (SELECT count(*) FROM unreadable_rows) AS rows,
    (SELECT count(*) FROM resolved WHERE status = 'new') AS new,
    (SELECT count(*) FROM resolved WHERE status IN ('stored', 'repeated')) AS unchanged,
    (SELECT count(DISTINCT row) FROM problems) AS rejected,
    (SELECT count(*) FROM problems) AS problems
