-- task-pivot.yaml in DuckDB: deaths by month, a column per belligerent (0 where none).
WITH monthly AS (
  SELECT CAST(date_trunc('month', date) AS DATE) AS month, belligerent, deaths_max FROM incidents
), wide AS (
  PIVOT monthly
  ON belligerent IN ('Coalition', 'Iraqi forces', 'Islamic State', 'SDF', 'Syrian regime', 'Russia', 'Turkey', 'Unknown')
  USING sum(deaths_max)
  GROUP BY month
)
SELECT month,
  coalesce("Coalition", 0), coalesce("Iraqi forces", 0), coalesce("Islamic State", 0), coalesce("SDF", 0),
  coalesce("Syrian regime", 0), coalesce("Russia", 0), coalesce("Turkey", 0), coalesce("Unknown", 0)
FROM wide
ORDER BY month
