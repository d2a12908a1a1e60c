-- Per municipality, the period of its most recent pledge (for "hela löftesperioden").
SELECT kommun_kod, arg_max(period_start, period_end) AS period_start, max(period_end) AS period_end
FROM (SELECT unnest(kommun_kods) AS kommun_kod, period_start, period_end FROM pledges)
GROUP BY kommun_kod
