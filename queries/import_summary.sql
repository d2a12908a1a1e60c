-- What an incident import does: rows read, new, already there, rejected.
SELECT
    (SELECT count(*) FROM checked_rows WHERE skip IS NULL) + (SELECT count(*) FROM unreadable_rows) AS rows,
    (SELECT count(*) FROM ids WHERE status = 'new') AS new,
    (SELECT count(*) FROM ids WHERE status = 'replaced') AS replaced,
    (SELECT count(*) FROM ids WHERE status IN ('stored', 'repeated')) AS unchanged,
    (SELECT count(DISTINCT row) FROM problems) AS rejected,
    (SELECT count(*) FROM problems) AS problems
