// Renders every golden options file in this directory with the pinned
// ECharts (server-side SVG renderer) and checks that each gives a non-empty
// SVG holding its series. Not run by `go test` (Go tests must not need
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
for (const name of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
  try {
    const opts = JSON.parse(readFileSync(join(dir, name), 'utf8'));
    if (opts.aria && opts.aria.label) opts.aria.label.enabled = false;
    const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: 600, height: 400 });
    chart.setOption(opts);
    const svg = chart.renderToSVGString();
    chart.dispose();
    const shapes = (svg.match(/<path/g) || []).length;
    if (!svg.startsWith('<svg') || shapes === 0) throw new Error(`empty SVG (${svg.length} bytes)`);
    for (const s of opts.series) {
      if (opts.legend && opts.legend.show && !svg.includes(`>${s.name}<`)) throw new Error(`legend lacks series ${s.name}`);
    }
    console.log(`ok   ${name}: ${svg.length} bytes, ${shapes} paths`);
  } catch (e) {
    failed++;
    console.log(`FAIL ${name}: ${e && e.stack || e}`);
  }
}
process.exit(failed ? 1 : 0);
