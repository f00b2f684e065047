// The DuckDB side of the differential tests (oracle_test.go): reads a job
// as JSON on stdin, {tables: [{name, path, columns: [[NAME, TYPE]...]}],
// queries: [{name, sql}]}, loads each CSV file as a table with exactly the
// declared types, runs each query and writes {NAME: [[value...]...]} as
// JSON on stdout: numbers as DuckDB's JSON conversion gives them (64-bit
// and larger integers as strings, so nothing is rounded), dates as
// YYYY-MM-DD. Needs @duckdb/node-api (package.json, devDependencies).
import { DuckDBInstance } from '@duckdb/node-api';

const chunks = [];
for await (const c of process.stdin) chunks.push(c);
const job = JSON.parse(Buffer.concat(chunks).toString('utf8'));

const db = await DuckDBInstance.create(':memory:', { threads: '1' });
const con = await db.connect();
const quote = (s) => "'" + String(s).replaceAll("'", "''") + "'";
for (const t of job.tables) {
  const cols = t.columns.map(([n, ty]) => `${quote(n)}: ${quote(ty)}`).join(', ');
  await con.run(`CREATE TABLE "${t.name}" AS SELECT * FROM read_csv(${quote(t.path)}, header = true, auto_detect = false, ` +
    `delim = ',', quote = '"', nullstr = '', hive_partitioning = false, columns = {${cols}})`);
}
const out = {};
for (const q of job.queries) {
  try {
    const reader = await con.runAndReadAll(q.sql);
    out[q.name] = reader.getRowsJson();
  } catch (e) {
    process.stderr.write(`query ${q.name}: ${e.message}\n${q.sql}\n`);
    process.exit(1);
  }
}
process.stdout.write(JSON.stringify(out));
