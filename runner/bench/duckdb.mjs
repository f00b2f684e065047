// The DuckDB side of the benchmark suite (bench.sh): runs one task's SQL
// over the incident CSV on 2 threads and writes its rows as JSON, for
// compare.mjs to check against Galley's. DuckDB reads the file as Galley's
// analysis declares it: header, no type detection, the same column types,
// an empty cell null.
//
//   node runner/bench/duckdb.mjs TASK.sql CSV-OR-GLOB OUT.json
//
// It also writes OUT.json.seconds: the time from creating the DuckDB
// instance to the last row, without starting node and loading the module,
// which a whole run's time includes.
//
// The SQL reads a view named incidents. Needs @duckdb/node-api (package.json,
// devDependencies; npm ci installs it).
import { readFileSync, writeFileSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';

const [sqlPath, source, outPath] = process.argv.slice(2);
if (!outPath) {
  process.stderr.write('usage: node duckdb.mjs TASK.sql CSV-OR-GLOB OUT.json\n');
  process.exit(2);
}
const quote = (s) => "'" + String(s).replaceAll("'", "''") + "'";
const columns = {
  incident_id: 'VARCHAR', date: 'DATE', city: 'VARCHAR', belligerent: 'VARCHAR',
  deaths_min: 'BIGINT', deaths_max: 'BIGINT', injured: 'BIGINT',
  latitude: 'DOUBLE', longitude: 'DOUBLE', description: 'VARCHAR',
};
const cols = Object.entries(columns).map(([n, t]) => `${quote(n)}: ${quote(t)}`).join(', ');
const start = performance.now();
const db = await DuckDBInstance.create(':memory:', { threads: '2' });
const con = await db.connect();
await con.run(`CREATE VIEW incidents AS SELECT * FROM read_csv(${quote(source)}, header = true, auto_detect = false, ` +
  `delim = ',', quote = '"', escape = '"', nullstr = '', hive_partitioning = false, columns = {${cols}})`);
const sql = readFileSync(sqlPath, 'utf8');
let rows;
try {
  rows = (await con.runAndReadAll(sql)).getRowsJson();
} catch (e) {
  process.stderr.write(`${sqlPath}: ${e.message}\n`);
  process.exit(1);
}
const seconds = (performance.now() - start) / 1000;
writeFileSync(outPath, JSON.stringify(rows) + '\n');
writeFileSync(outPath + '.seconds', seconds.toFixed(3) + '\n');
