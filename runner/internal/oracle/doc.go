// Package oracle checks the views of contract v2 against DuckDB, a second
// implementation of the same relational operations: differential tests
// generate data (seeded: ties, nulls, partitions of one row, empty
// inputs), run an analysis over it through the whole of Galley (parse,
// check, engine) and the equivalent SQL through DuckDB
// (testdata/duckdb.mjs, with the npm package @duckdb/node-api that
// package.json pins as a development dependency), and compare the results
// value for value, floats to a stated tolerance.
//
// It has no code outside its tests. `make test` installs DuckDB (npm ci)
// and sets GALLEY_DUCKDB, so the tests run; without it they run when node
// and the package are there, and skip otherwise.
package oracle
