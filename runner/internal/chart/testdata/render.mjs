// Renders every panel of every golden drawing in this directory with the pinned
// ECharts (server-side SVG renderer) and checks that each gives a non-empty
// SVG, and that every tick of a value axis has its text from Galley. Not run by `go test` (Go tests must not need
// node); run it by hand from the project root after `npm ci`:
//
//   node runner/internal/chart/testdata/render.mjs
//
// The aria label is set on the chart's DOM element, which server-side
// rendering does not have, so it is switched off here (the page keeps it).
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as echarts from 'echarts';

const dir = dirname(fileURLToPath(import.meta.url));
let failed = 0;

// As the page's script does: the texts Galley gives a value axis's ticks
// become its formatter. A tick with no text (ECharts laid out a tick
// Galley did not) is a failure, but for the ends of an axis that hugs its
// data (they are not multiples of the interval, and stay unlabelled).
function prepare(opts, missing) {
  for (const a of [...(opts.xAxis || []), ...(opts.yAxis || [])]) {
    const ticks = a.axisLabel && a.axisLabel.galleyTicks;
    if (!ticks) continue;
    delete a.axisLabel.galleyTicks;
    a.axisLabel.formatter = (v) => {
      const t = ticks[String(v)];
      if (t === undefined && v !== a.min && v !== a.max) missing.push(v);
      return t === undefined ? '' : t;
    };
  }
  if (opts.aria && opts.aria.label) opts.aria.label.enabled = false;
  return opts;
}

for (const name of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
  const drawing = JSON.parse(readFileSync(join(dir, name), 'utf8'));
  const all = [];
  for (const p of drawing.panels) {
    all.push(['', p.options]);
    if (p.narrow) all.push([' (narrow)', p.narrow]);
  }
  for (const [which, raw] of all) {
    try {
      const missing = [];
      const opts = prepare(JSON.parse(JSON.stringify(raw)), missing);
      const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: 600, height: drawing.height || 400 });
      chart.setOption(opts);
      const svg = chart.renderToSVGString();
      chart.dispose();
      const shapes = (svg.match(/<path/g) || []).length;
      if (!svg.startsWith('<svg') || shapes === 0) throw new Error(`empty SVG (${svg.length} bytes)`);
      if (missing.length) throw new Error(`ticks without a text: ${missing.join(', ')}`);
      console.log(`ok   ${name}${which}: ${svg.length} bytes, ${shapes} paths`);
    } catch (e) {
      failed++;
      console.log(`FAIL ${name}${which}: ${e && e.stack || e}`);
    }
  }
}
process.exit(failed ? 1 : 0);
