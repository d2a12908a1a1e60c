-- Focus areas for the filter, in the order they are defined.
SELECT focus_area, name_sv, categories
FROM focus_areas
