-- Task T in DuckDB (task-t.yaml): Mosul incidents during the battle, by belligerent.
SELECT belligerent, count(*), sum(deaths_min), sum(deaths_max), max(deaths_max)
FROM incidents
WHERE city = 'Mosul' AND date BETWEEN DATE '2016-10-17' AND DATE '2017-07-20' AND deaths_max >= 1
GROUP BY belligerent
ORDER BY belligerent
