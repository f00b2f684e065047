// Checks that the tools of the benchmark suite (bench.sh) computed the same
// table: the rows of the first against those of each other. A tool's rows
// are a JSON array of rows (DuckDB's and the plain Go program's), or, for
// PATH#VIEW, the rows of VIEW in Galley's results document. Values compare
// as numbers when both are numbers (DuckDB prints 64-bit integers as
// strings), floats to 1e-9 relative; text, dates (YYYY-MM-DD) and nulls
// exactly. Prints the first difference and exits 1 when any differ.
//
//   node runner/bench/compare.mjs TASK TOOL=PATH[#VIEW] TOOL=PATH...
import { readFileSync } from 'node:fs';

const [task, ...tools] = process.argv.slice(2);
if (tools.length < 2) {
  process.stderr.write('usage: node compare.mjs TASK TOOL=PATH[#VIEW] TOOL=PATH...\n');
  process.exit(2);
}
const load = (arg) => {
  const [tool, spec] = arg.split(/=(.*)/s);
  const [path, view] = spec.split('#');
  const json = JSON.parse(readFileSync(path, 'utf8'));
  if (view === undefined) return [tool, json];
  const v = json.views.find((x) => x.name === view);
  if (!v || !v.rows) {
    process.stderr.write(`BENCH RESULTS MISSING: task ${task}: ${path} has no rows of view ${view}\n`);
    process.exit(1);
  }
  return [tool, v.rows];
};
const [first, reference] = load(tools[0]);
const number = (x) => {
  if (typeof x === 'number') return x;
  if (typeof x === 'string' && /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(x)) return Number(x);
  return null;
};
const same = (a, b) => {
  if (a === null || b === null) return a === b;
  const x = number(a), y = number(b);
  if (x !== null && y !== null) {
    return x === y || Math.abs(x - y) <= 1e-9 * Math.max(Math.abs(x), Math.abs(y));
  }
  return a === b;
};
let failed = false;
for (const arg of tools.slice(1)) {
  const [tool, rows] = load(arg);
  let differ = '';
  if (rows.length !== reference.length) {
    differ = `give ${reference.length} and ${rows.length} rows`;
  }
  for (let i = 0; i < Math.min(rows.length, reference.length); i++) {
    const a = reference[i], b = rows[i];
    if (a.length !== b.length || a.some((x, j) => !same(x, b[j]))) {
      differ += `${differ ? '; ' : ''}differ at row ${i + 1}: ${JSON.stringify(a)} against ${JSON.stringify(b)}`;
      break;
    }
  }
  if (differ) {
    process.stderr.write(`BENCH RESULTS DIFFER: task ${task}: ${first} and ${tool} ${differ}\n`);
    failed = true;
  } else {
    process.stdout.write(`${task}: ${first} and ${tool} give the same ${reference.length} rows\n`);
  }
}
process.exit(failed ? 1 : 0);
