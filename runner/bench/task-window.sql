-- task-window.yaml in DuckDB: the three deadliest days of each city, ties included.
WITH daily AS (
  SELECT city, date AS day, sum(deaths_max) AS deaths FROM incidents GROUP BY city, date
), ranked AS (
  SELECT *, rank() OVER (PARTITION BY city ORDER BY deaths DESC) AS place FROM daily
)
SELECT city, day, deaths, place FROM ranked WHERE place <= 3 ORDER BY city, place, day
