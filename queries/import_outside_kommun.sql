-- Rows whose point lies outside its kommun beyond the tolerance (table `outside`:
-- row, km) get that problem and are no longer valid.
UPDATE checked_rows c
SET problems = list_append(c.problems, {
        'column': c.point_given['column'], 'value': c.point_given['value'],
        'code': 'outside_kommun', 'detail': c.kommun_kod, 'km': o.km
    }),
    content = NULL
FROM outside o
WHERE c.row = o.row
