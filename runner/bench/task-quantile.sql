-- task-quantile.yaml in DuckDB: quantiles of deaths per city (R's type 7: quantile_cont).
SELECT city, quantile_cont(deaths_max, 0.5), quantile_cont(deaths_max, 0.9), quantile_cont(deaths_max, 0.99)
FROM incidents
GROUP BY city
ORDER BY city
