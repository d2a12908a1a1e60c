-- Rows that are not incidents (police summaries), kept out of the import.
SELECT row, category, skip FROM checked_rows WHERE skip IS NOT NULL ORDER BY row
