package oracle

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"galley/runner/internal/analysis"
	"galley/runner/internal/check"
	"galley/runner/internal/dataset"
	"galley/runner/internal/engine"
	"galley/runner/internal/results"
)

// Tolerance is how far a float Galley computes may be from DuckDB's: a
// relative 1e-9, or 1e-12 near zero. Galley's sums, variances and
// correlations are exact and rounded once; DuckDB's are computed in
// floats (Kahan sums, Welford's variance), so the two agree to about
// fifteen digits, not to the last bit.
const (
	relTolerance = 1e-9
	absTolerance = 1e-12
)

// sizes are the rows of the generated datasets: none, one, a few, enough
// for every partition to have ties and nulls, and a file of several
// chunks (dataset.ChunkSize), read in parallel and merged, for the views
// whose results are small (the others would compare a million values).
var sizes = []int{0, 1, 2, 7, 40, 300, 2000, bigRows}

const bigRows = 200_000

// oracleCase is one view of the analysis and the DuckDB query that gives
// the same rows, in the same order.
type oracleCase struct {
	name string
	yaml string // the view, indented as under views:
	sql  string
}

// rowLevel are the cases that output about a row per input row: they are
// not run on the large file.
var rowLevel = map[string]bool{"win": true, "win_all": true, "long": true, "appended": true, "fns": true}

// tiedCut is the query for the count of rows the plain limit of view
// top_cut leaves out that tie with the last row it keeps.
const tiedCut = `
    WITH r AS (SELECT k, rid, rank() OVER (ORDER BY k DESC NULLS LAST) rk, row_number() OVER (ORDER BY k DESC NULLS LAST, rid) rn FROM t)
    SELECT count(*) FROM r WHERE rn > 5 AND rk = (SELECT rk FROM r WHERE rn = 5)`

// columns of the generated datasets, as Galley declares them and DuckDB
// reads them.
var columns = []struct{ name, galley, duck string }{
	{"rid", "int", "BIGINT"}, {"g", "string", "VARCHAR"}, {"k", "int", "BIGINT"}, {"x", "float", "DOUBLE"},
	{"y", "int", "BIGINT"}, {"d", "date", "DATE"}, {"c", "bool", "BOOLEAN"}, {"name", "string", "VARCHAR"},
	{"words", "string", "VARCHAR"},
}

// generate writes n rows of seeded data: g has a partition of one row
// ("z"); k and x have ties; every column but rid has nulls. intX makes x
// an int column, for an append of an int column with a float one.
func generate(n int, seed uint64, intX bool) string {
	r := rand.New(rand.NewPCG(seed, 2026))
	var b strings.Builder
	for i, c := range columns {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(c.name)
	}
	b.WriteByte('\n')
	null := func(p float64) bool { return r.Float64() < p }
	words := []string{"petroleum", "ENGINEERING", "mining", "Naval", "aRCHITECTURE", "and", "o", "x"}
	start := time.Date(2023, 11, 15, 0, 0, 0, 0, time.UTC)
	for i := 1; i <= n; i++ {
		var cells []string
		cells = append(cells, strconv.Itoa(i))
		switch {
		case i == n/2+1 && n > 3:
			cells = append(cells, "z")
		case null(0.05):
			cells = append(cells, "")
		default:
			cells = append(cells, []string{"a", "b", "c", "a"}[r.IntN(4)])
		}
		if null(0.08) {
			cells = append(cells, "")
		} else {
			cells = append(cells, strconv.Itoa(r.IntN(5)))
		}
		switch {
		case null(0.1):
			cells = append(cells, "")
		case intX:
			cells = append(cells, strconv.Itoa(r.IntN(100)))
		case r.Float64() < 0.3:
			cells = append(cells, []string{"0.5", "1.25", "2"}[r.IntN(3)])
		default:
			cells = append(cells, strconv.FormatFloat(float64(r.IntN(100000)+1)/1000, 'g', -1, 64))
		}
		if null(0.1) {
			cells = append(cells, "")
		} else {
			cells = append(cells, strconv.Itoa(r.IntN(51)))
		}
		if null(0.05) {
			cells = append(cells, "")
		} else {
			cells = append(cells, start.AddDate(0, 0, r.IntN(200)).Format(time.DateOnly))
		}
		if null(0.1) {
			cells = append(cells, "")
		} else {
			cells = append(cells, strconv.FormatBool(r.IntN(2) == 0))
		}
		if null(0.08) {
			cells = append(cells, "")
		} else {
			cells = append(cells, []string{"alpha", "beta", "gamma", "delta"}[r.IntN(4)])
		}
		var ws []string
		for w := 0; w <= r.IntN(3); w++ {
			ws = append(ws, words[r.IntN(len(words))])
		}
		cells = append(cells, strings.Join(ws, " "))
		b.WriteString(strings.Join(cells, ","))
		b.WriteByte('\n')
	}
	return b.String()
}

// The cases. The SQL spells out what Galley's documentation says: nulls
// last in every order, ties in input order (rid), windows over the whole
// partition for aggregates and first_value/last_value, moving windows
// null until they are full, mode's ties to the smallest, NaN as null.
var cases = []oracleCase{
	{"agg", `
    from: t
    group_by: [g]
    aggregate:
      n: count()
      nx: count(x)
      q10: quantile(x, 0.1)
      q50: quantile(y, 0.5)
      q90: quantile(x, 0.9)
      q0: quantile(x, 0)
      q1: quantile(x, 1)
      mid: median(x)
      sd: stddev(x)
      var: variance(y)
      mode_k: mode(k)
      mode_name: mode(name)
      mode_d: mode(d)
      r: corr(x, y)
      wm: weighted_mean(x, y)
      ci: count_if(x > 10)
      si: sum_if(y, c)
      sif: sum_if(x, k >= 2)
      mean_x: mean(x)
      cd: count_distinct(name)`, `
    SELECT g, count(*), count(x), quantile_cont(x, 0.1), quantile_cont(y, 0.5), quantile_cont(x, 0.9),
      quantile_cont(x, 0), quantile_cont(x, 1), median(x), stddev_samp(x), var_samp(y),
      (SELECT k FROM t u WHERE u.g IS NOT DISTINCT FROM t.g AND k IS NOT NULL GROUP BY k ORDER BY count(*) DESC, k LIMIT 1),
      (SELECT name FROM t u WHERE u.g IS NOT DISTINCT FROM t.g AND name IS NOT NULL GROUP BY name ORDER BY count(*) DESC, name LIMIT 1),
      (SELECT d FROM t u WHERE u.g IS NOT DISTINCT FROM t.g AND d IS NOT NULL GROUP BY d ORDER BY count(*) DESC, d LIMIT 1),
      nan(corr(x, y)),
      sum(x * y) / nullif(sum(y) FILTER (WHERE x IS NOT NULL), 0),
      count(*) FILTER (WHERE x > 10), sum(y) FILTER (WHERE c), sum(x) FILTER (WHERE k >= 2), avg(x), count(DISTINCT name)
    FROM t GROUP BY g ORDER BY g NULLS LAST`},
	{"agg_all", `
    from: t
    aggregate:
      n: count()
      q: quantile(x, 0.75)
      sd: stddev(y)
      r: corr(y, x)
      wm: weighted_mean(y, x)
      mode_c: mode(c)
      ci: count_if(c)
      si: sum_if(y, name == "beta")`, `
    SELECT count(*), quantile_cont(x, 0.75), stddev_samp(y), nan(corr(y, x)),
      sum(x * y) / nullif(sum(x) FILTER (WHERE y IS NOT NULL), 0),
      (SELECT c FROM t WHERE c IS NOT NULL GROUP BY c ORDER BY count(*) DESC, c LIMIT 1),
      count(*) FILTER (WHERE c), sum(y) FILTER (WHERE name = 'beta')
    FROM t`},
	{"agg_none", `
    from: t
    where: k > 100
    aggregate:
      n: count()
      q: quantile(x, 0.5)
      sd: stddev(x)
      m: mode(name)
      r: corr(x, y)
      wm: weighted_mean(x, y)
      ci: count_if(c)
      si: sum_if(y, c)`, `
    SELECT count(*), quantile_cont(x, 0.5), stddev_samp(x), mode(name), nan(corr(x, y)),
      sum(x * y) / nullif(sum(y) FILTER (WHERE x IS NOT NULL), 0), count(*) FILTER (WHERE c), sum(y) FILTER (WHERE c)
    FROM t WHERE k > 100`},
	{"win", `
    from: t
    window:
      partition_by: [g]
      order_by: [-k, x]
      derive:
        rn: row_number()
        rk: rank()
        dr: dense_rank()
        pr: percent_rank()
        nt: ntile(3)
        lag1: lag(x)
        lag2: lag(y, 2, -1)
        lead1: lead(name)
        lead3: lead(x, 3, 0.5)
        lag0: lag(k, 0)
        fv: first_value(x)
        lv: last_value(y)
        cs: cumsum(y)
        csx: cumsum(x)
        cmax: cummax(x)
        cmin: cummin(name)
        mm: moving_mean(x, 3)
        ms: moving_sum(y, 2)
        mm1: moving_mean(y, 1)
        tot: sum(y)
        share: x / sum(x)
        wq: quantile(x, 0.5)
        wsd: stddev(x)
        wmode: mode(k)
        wcorr: corr(x, y)
        wci: count_if(c)
        wn: count()
        wmin: min(d)
        wfirst: first(x)
        wlast: last(name)
        change: y - lag(y)
    select: [rid, rn, rk, dr, pr, nt, lag1, lag2, lead1, lead3, lag0, fv, lv, cs, csx, cmax, cmin, mm, ms, mm1, tot, share, wq, wsd, wmode, wcorr, wci, wn, wmin, wfirst, wlast, change]`, `
    SELECT rid, row_number() OVER w, rank() OVER p, dense_rank() OVER p, percent_rank() OVER p, ntile(3) OVER w,
      lag(x) OVER w, lag(y, 2, -1) OVER w, lead(name) OVER w, lead(x, 3, 0.5) OVER w, lag(k, 0) OVER w,
      first_value(x) OVER whole, last_value(y) OVER whole,
      sum(y) OVER (w ROWS UNBOUNDED PRECEDING), sum(x) OVER (w ROWS UNBOUNDED PRECEDING),
      max(x) OVER (w ROWS UNBOUNDED PRECEDING), min(name) OVER (w ROWS UNBOUNDED PRECEDING),
      CASE WHEN row_number() OVER w >= 3 THEN avg(x) OVER (w ROWS 2 PRECEDING) END,
      CASE WHEN row_number() OVER w >= 2 THEN sum(y) OVER (w ROWS 1 PRECEDING) END,
      avg(y) OVER (w ROWS CURRENT ROW),
      sum(y) OVER part, x / sum(x) OVER part, quantile_cont(x, 0.5) OVER part, stddev_samp(x) OVER part,
      (SELECT k FROM t u WHERE u.g IS NOT DISTINCT FROM t.g AND k IS NOT NULL GROUP BY k ORDER BY count(*) DESC, k LIMIT 1),
      nan(corr(x, y) OVER part), count(*) FILTER (WHERE c) OVER part, count(*) OVER part, min(d) OVER part,
      first_value(x IGNORE NULLS) OVER whole, last_value(name IGNORE NULLS) OVER whole,
      y - lag(y) OVER w
    FROM t
    WINDOW part AS (PARTITION BY g),
      p AS (PARTITION BY g ORDER BY k DESC NULLS LAST, x ASC NULLS LAST),
      w AS (PARTITION BY g ORDER BY k DESC NULLS LAST, x ASC NULLS LAST, rid),
      whole AS (w ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)
    ORDER BY rid`},
	{"win_all", `
    from: t
    window:
      order_by: [d]
      derive:
        rn: row_number()
        rk: rank()
        dr: dense_rank()
        pr: percent_rank()
        nt: ntile(4)
        prev: lag(d)
        next2: lead(k, 2)
        csx: cumsum(x)
        mm: moving_mean(y, 4)
        msx: moving_sum(x, 3)
        cmax: cummax(d)
    select: [rid, rn, rk, dr, pr, nt, prev, next2, csx, mm, msx, cmax]`, `
    SELECT rid, row_number() OVER w, rank() OVER p, dense_rank() OVER p, percent_rank() OVER p, ntile(4) OVER w,
      lag(d) OVER w, lead(k, 2) OVER w, sum(x) OVER (w ROWS UNBOUNDED PRECEDING),
      CASE WHEN row_number() OVER w >= 4 THEN avg(y) OVER (w ROWS 3 PRECEDING) END,
      CASE WHEN row_number() OVER w >= 3 THEN sum(x) OVER (w ROWS 2 PRECEDING) END,
      max(d) OVER (w ROWS UNBOUNDED PRECEDING)
    FROM t WINDOW p AS (ORDER BY d NULLS LAST), w AS (ORDER BY d NULLS LAST, rid)
    ORDER BY rid`},
	{"win_fill", `
    from: t
    window:
      partition_by: [g]
      derive:
        fd: fill_down(name)
        fu: fill_up(x)
        fdd: fill_down(d)
    select: [rid, fd, fu, fdd]`, `
    SELECT rid, last_value(name IGNORE NULLS) OVER (w ROWS UNBOUNDED PRECEDING),
      first_value(x IGNORE NULLS) OVER (w ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING),
      last_value(d IGNORE NULLS) OVER (w ROWS UNBOUNDED PRECEDING)
    FROM t WINDOW w AS (PARTITION BY g ORDER BY rid)
    ORDER BY rid`},
	{"win_fill_ordered", `
    from: t
    window:
      order_by: [-k]
      derive:
        fd: fill_down(y)
        fu: fill_up(name)
    select: [rid, fd, fu]`, `
    SELECT rid, last_value(y IGNORE NULLS) OVER (w ROWS UNBOUNDED PRECEDING),
      first_value(name IGNORE NULLS) OVER (w ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING)
    FROM t WINDOW w AS (ORDER BY k DESC NULLS LAST, rid)
    ORDER BY rid`},
	{"gk", `
    from: t
    where: name != nil
    group_by: [g, name]
    aggregate: {s: sum(y), n: count()}`, `
    SELECT g, name, sum(y), count(*) FROM t WHERE name IS NOT NULL GROUP BY g, name ORDER BY g NULLS LAST, name`},
	{"gks", `
    from: gk
    select: [g, name, s]`, `
    SELECT g, name, sum(y) FROM t WHERE name IS NOT NULL GROUP BY g, name ORDER BY g NULLS LAST, name`},
	{"wide", `
    from: gks
    pivot:
      names_from: name
      values_from: s
      columns: {alpha: alpha, beta: beta, gamma: gamma, delta: delta}
      fill: -1`, `
    WITH gk AS (SELECT g, name, sum(y) s FROM t WHERE name IS NOT NULL GROUP BY g, name)
    SELECT g,
      CASE WHEN count(*) FILTER (WHERE name = 'alpha') = 0 THEN -1 ELSE max(s) FILTER (WHERE name = 'alpha') END,
      CASE WHEN count(*) FILTER (WHERE name = 'beta') = 0 THEN -1 ELSE max(s) FILTER (WHERE name = 'beta') END,
      CASE WHEN count(*) FILTER (WHERE name = 'gamma') = 0 THEN -1 ELSE max(s) FILTER (WHERE name = 'gamma') END,
      CASE WHEN count(*) FILTER (WHERE name = 'delta') = 0 THEN -1 ELSE max(s) FILTER (WHERE name = 'delta') END
    FROM gk GROUP BY g ORDER BY g NULLS LAST`},
	{"gk2", `
    from: gk
    select: [g, name, n]`, `
    SELECT g, name, count(*) FROM t WHERE name IS NOT NULL GROUP BY g, name ORDER BY g NULLS LAST, name`},
	{"wide_null", `
    from: gk2
    pivot:
      names_from: name
      values_from: n
      columns: {a: alpha, b: beta, c: gamma, d: delta}`, `
    WITH gk AS (SELECT g, name, count(*) n FROM t WHERE name IS NOT NULL GROUP BY g, name)
    SELECT g, max(n) FILTER (WHERE name = 'alpha'), max(n) FILTER (WHERE name = 'beta'),
      max(n) FILTER (WHERE name = 'gamma'), max(n) FILTER (WHERE name = 'delta')
    FROM gk GROUP BY g ORDER BY g NULLS LAST`},
	{"long", `
    from: t
    unpivot: {columns: [y, x], names_to: var, values_to: val}
    select: [rid, g, var, val]`, `
    SELECT rid, g, var, val FROM (SELECT rid, g, y::DOUBLE AS y, x FROM t)
      UNPIVOT INCLUDE NULLS (val FOR var IN (y, x))
    ORDER BY rid, var = 'x'`},
	{"long_sum", `
    from: t
    unpivot: {columns: [x, y], names_to: var, values_to: val}
    where: val > 1
    group_by: [var, g]
    aggregate: {n: count(), total: sum(val), sd: stddev(val)}`, `
    SELECT var, g, count(*), sum(val), stddev_samp(val)
    FROM (SELECT g, x, y::DOUBLE AS y FROM t) UNPIVOT INCLUDE NULLS (val FOR var IN (x, y))
    WHERE val > 1 GROUP BY var, g ORDER BY var, g NULLS LAST`},
	{"filled", `
    from: t
    group_by: [k, g]
    aggregate: {n: count(), total: sum(y)}
    complete:
      columns: [k, g]
      every: {k: 1}
      fill: {n: 0}`, `
    WITH c AS (SELECT k, g, count(*) n, sum(y) total FROM t GROUP BY k, g),
      ks AS (SELECT range AS k FROM range((SELECT min(k) FROM t), (SELECT max(k) FROM t) + 1) UNION SELECT k FROM t),
      gs AS (SELECT DISTINCT g FROM t)
    SELECT ks.k, gs.g, coalesce(c.n, 0), c.total FROM ks CROSS JOIN gs
      LEFT JOIN c ON c.k IS NOT DISTINCT FROM ks.k AND c.g IS NOT DISTINCT FROM gs.g
    ORDER BY 1 NULLS LAST, 2 NULLS LAST`},
	{"months", `
    from: t
    where: d != nil
    derive: {m: 'date_trunc("month", d)'}
    group_by: [m, c]
    aggregate: {n: count()}
    complete:
      columns: [m, c]
      every: {m: month}
      fill: {n: 0}`, `
    WITH c AS (SELECT date_trunc('month', d)::DATE m, c, count(*) n FROM t WHERE d IS NOT NULL GROUP BY 1, 2),
      ms AS (SELECT generate_series::DATE AS m FROM generate_series((SELECT min(m) FROM c)::TIMESTAMP, (SELECT max(m) FROM c)::TIMESTAMP, INTERVAL 1 MONTH)),
      cs AS (SELECT DISTINCT c FROM c)
    SELECT ms.m, cs.c, coalesce(c.n, 0) FROM ms CROSS JOIN cs
      LEFT JOIN c ON c.m = ms.m AND c.c IS NOT DISTINCT FROM cs.c
    ORDER BY 1, 2 NULLS LAST`},
	{"dist", `
    from: t
    select: [g, k]
    distinct: true`, `
    SELECT g, k FROM t GROUP BY g, k ORDER BY min(rid)`},
	{"top_ties", `
    from: t
    select: [k, rid]
    order_by: [-k]
    limit: {rows: 5, with_ties: true}`, `
    SELECT k, rid FROM t QUALIFY rank() OVER (ORDER BY k DESC NULLS LAST) <= 5 ORDER BY k DESC NULLS LAST, rid`},
	{"top_ties2", `
    from: t
    select: [d, x, rid]
    order_by: [d, -x]
    limit: {rows: 3, with_ties: true}`, `
    SELECT d, x, rid FROM t QUALIFY rank() OVER (ORDER BY d NULLS LAST, x DESC NULLS LAST) <= 3 ORDER BY d NULLS LAST, x DESC NULLS LAST, rid`},
	{"top_cut", `
    from: t
    select: [k, rid]
    order_by: [-k]
    limit: 5`, `
    SELECT k, rid FROM t ORDER BY k DESC NULLS LAST, rid LIMIT 5`},
	{"appended", `
    from: [t, t2]
    from_column: src
    where: k != 1
    select: [src, rid, g, x, y]`, `
    SELECT src, rid, g, x, y FROM (SELECT 't' AS src, 0 AS o, * FROM t UNION ALL SELECT 't2', 1, rid, g, k, x::DOUBLE, y, d, c, name, words FROM t2)
    WHERE k IS DISTINCT FROM 1 ORDER BY o, rid`},
	{"appended_sum", `
    from: [t2, t]
    from_column: src
    group_by: [src, g]
    aggregate: {n: count(), sx: sum(x), q: 'quantile(x, 0.3)', sd: stddev(x)}`, `
    SELECT src, g, count(*), sum(x), quantile_cont(x, 0.3), stddev_samp(x)
    FROM (SELECT 't' AS src, g, x FROM t UNION ALL SELECT 't2', g, x::DOUBLE FROM t2)
    GROUP BY src, g ORDER BY src, g NULLS LAST`},
	{"fns", `
    from: t
    derive:
      yr: year(d)
      mo: month(d)
      dy: day(d)
      wd: weekday(d)
      db: days_between(d, date("2024-06-30"))
      ad: add_days(d, k * 10 - 15)
      am: add_months(d, k * 7 - 13)
      tt: title(words)
    select: [rid, yr, mo, dy, wd, db, ad, am, tt]`, `
    SELECT rid, year(d), month(d), day(d), isodow(d), date_diff('day', d, DATE '2024-06-30'),
      d + (k * 10 - 15)::INTEGER, (d + to_months((k * 7 - 13)::INTEGER))::DATE,
      array_to_string(list_transform(string_split(words, ' '), w -> upper(w[1]) || lower(w[2:])), ' ')
    FROM t ORDER BY rid`},
}

// duckAvailable reports whether node can load @duckdb/node-api from the
// project's node_modules.
func duckAvailable(root string) bool {
	if _, err := exec.LookPath("node"); err != nil {
		return false
	}
	_, err := os.Stat(filepath.Join(root, "node_modules", "@duckdb", "node-api", "package.json"))
	return err == nil
}

func projectRoot(t *testing.T) string {
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test")
		}
		dir = parent
	}
}

// TestAgainstDuckDB runs every case on every size of generated data in
// Galley and in DuckDB and compares the results value for value.
func TestAgainstDuckDB(t *testing.T) {
	root := projectRoot(t)
	if !duckAvailable(root) {
		if os.Getenv("GALLEY_DUCKDB") != "" {
			t.Fatalf("GALLEY_DUCKDB is set but node or node_modules/@duckdb/node-api is missing: run npm ci")
		}
		t.Skip("node or @duckdb/node-api is missing: run `make test` (or npm ci)")
	}
	script := filepath.Join(root, "runner", "internal", "oracle", "testdata", "duckdb.mjs")
	cells, compared := 0, 0
	for i, n := range sizes {
		t.Run(fmt.Sprintf("rows=%d", n), func(t *testing.T) {
			dir := t.TempDir()
			data := generate(n, uint64(1000+i), false)
			data2 := generate(n/3+1, uint64(2000+i), true)
			if n == bigRows && len(data) < 2*dataset.ChunkSize {
				t.Fatalf("the large file is %d bytes, not several chunks of %d", len(data), dataset.ChunkSize)
			}
			run := cases
			if n == bigRows {
				run = nil
				for _, c := range cases {
					if !rowLevel[c.name] {
						run = append(run, c)
					}
				}
			}
			galley := runGalley(t, dir, data, data2, run)
			duck := runDuck(t, script, dir, run)
			if got, want := tiedCount(galley.View("top_cut")), duck["top_cut#tied"]; sameValue(got, want[0][0]) != "" {
				t.Errorf("top_cut: Galley counts %d rows tied beyond the limit, DuckDB %v", got, want)
			}
			for _, c := range run {
				g := galley.View(c.name)
				if g == nil {
					t.Fatalf("%s: no such view in Galley's results", c.name)
				}
				d, ok := duck[c.name]
				if !ok {
					t.Fatalf("%s: no result from DuckDB", c.name)
				}
				cells += compare(t, c.name, g.Rows, d)
				compared++
			}
		})
	}
	t.Logf("%d cases (%d views over %d generated datasets, %d of them on the file of %d rows), %d values compared, floats to %g relative, %g absolute",
		compared, len(cases), len(sizes), len(cases)-len(rowLevel), bigRows, cells, relTolerance, absTolerance)
}

func sum(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

// tiedCount is what the document says a plain limit cut through: 0 when
// it cut no tie.
func tiedCount(v *results.View) int {
	if v.Counts.TiedCut == nil {
		return 0
	}
	return *v.Counts.TiedCut
}

func runGalley(t *testing.T, dir, data, data2 string, cases []oracleCase) *results.Document {
	t.Helper()
	var b strings.Builder
	b.WriteString("title: Oracle\ndatasets:\n")
	for name, d := range map[string]string{"t": data, "t2": data2} {
		if err := os.MkdirAll(filepath.Join(dir, "datasets"), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "datasets", name+".csv"), []byte(d), 0o644); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "  %s:\n    path: datasets/%s.csv\n    sha256: %s\n    source: {title: T, publisher: P, accessed: 2026-11-27, license: L}\n    columns:\n", name, name, sum(d))
		for _, c := range columns {
			typ := c.galley
			if name == "t2" && c.name == "x" {
				typ = "int"
			}
			fmt.Fprintf(&b, "      %s: %s\n", c.name, typ)
		}
	}
	b.WriteString("views:\n")
	for _, c := range cases {
		fmt.Fprintf(&b, "  %s:%s\n", c.name, c.yaml)
	}
	src := b.String()
	f, err := analysis.Parse("analyses/oracle.yaml", []byte(src))
	if err != nil {
		t.Fatalf("parse: %v\n%s", err, src)
	}
	p, err := check.Analysis(f)
	if err != nil {
		t.Fatalf("check: %v\n%s", err, src)
	}
	doc, err := engine.Execute(p, engine.Options{Root: dir, Workers: 2})
	if err != nil {
		t.Fatalf("run: %v", err)
	}
	return doc
}

func runDuck(t *testing.T, script, dir string, cases []oracleCase) map[string][][]any {
	t.Helper()
	type table struct {
		Name    string      `json:"name"`
		Path    string      `json:"path"`
		Columns [][2]string `json:"columns"` // name and type, in file order
	}
	type query struct {
		Name string `json:"name"`
		SQL  string `json:"sql"`
	}
	var job struct {
		Tables  []table `json:"tables"`
		Queries []query `json:"queries"`
	}
	for _, name := range []string{"t", "t2"} {
		var cols [][2]string
		for _, c := range columns {
			typ := c.duck
			if name == "t2" && c.name == "x" {
				typ = "BIGINT"
			}
			cols = append(cols, [2]string{c.name, typ})
		}
		job.Tables = append(job.Tables, table{Name: name, Path: filepath.Join(dir, "datasets", name+".csv"), Columns: cols})
	}
	for _, c := range cases {
		job.Queries = append(job.Queries, query{Name: c.name, SQL: "CREATE OR REPLACE MACRO nan(v) AS CASE WHEN isnan(v) THEN NULL ELSE v END; " + c.sql})
	}
	job.Queries = append(job.Queries, query{Name: "top_cut#tied", SQL: tiedCut})
	in, err := json.Marshal(job)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("node", script)
	cmd.Stdin = bytes.NewReader(in)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		t.Fatalf("duckdb: %v\n%s", err, errOut.String())
	}
	dec := json.NewDecoder(&out)
	dec.UseNumber()
	var res map[string][][]any
	if err := dec.Decode(&res); err != nil {
		t.Fatalf("duckdb output: %v", err)
	}
	return res
}

// compare checks Galley's rows against DuckDB's, value for value, and
// returns how many values it compared.
func compare(t *testing.T, view string, galley [][]any, duck [][]any) int {
	t.Helper()
	if len(galley) != len(duck) {
		t.Errorf("%s: Galley has %d rows, DuckDB %d\nGalley: %v\nDuckDB: %v", view, len(galley), len(duck), head(galley), head(duck))
		return 0
	}
	n := 0
	for i := range galley {
		if len(galley[i]) != len(duck[i]) {
			t.Errorf("%s row %d: Galley has %d columns, DuckDB %d", view, i+1, len(galley[i]), len(duck[i]))
			return n
		}
		for j := range galley[i] {
			n++
			if msg := sameValue(galley[i][j], duck[i][j]); msg != "" {
				t.Errorf("%s row %d column %d: %s\nGalley row: %v\nDuckDB row: %v", view, i+1, j+1, msg, galley[i], duck[i])
				return n
			}
		}
	}
	return n
}

func head(rows [][]any) [][]any { return rows[:min(len(rows), 5)] }

// sameValue compares one value of Galley's with DuckDB's JSON; the message
// says how they differ, or is "".
func sameValue(g, d any) string {
	if d == nil || g == nil {
		if d == nil && g == nil {
			return ""
		}
		return fmt.Sprintf("Galley %#v, DuckDB %#v", g, d)
	}
	text := fmt.Sprint(d)
	switch x := g.(type) {
	case int:
		if y, err := strconv.ParseInt(text, 10, 64); err == nil && int(y) == x {
			return ""
		}
	case float64:
		y, err := strconv.ParseFloat(text, 64)
		if err == nil && math.Abs(x-y) <= relTolerance*math.Max(math.Abs(x), math.Abs(y))+absTolerance {
			return ""
		}
	case string:
		if s, ok := d.(string); ok && s == x {
			return ""
		}
	case bool:
		if b, ok := d.(bool); ok && b == x {
			return ""
		}
	case time.Time:
		if text == x.Format(time.DateOnly) {
			return ""
		}
	}
	return fmt.Sprintf("Galley %#v, DuckDB %#v", g, d)
}
