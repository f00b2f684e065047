#!/usr/bin/env bash
# make bench: task T (docs/performance.md) on generated incident files of 1M
# and 10M rows, Galley against a plain encoding/csv program and, where they
# are installed, Miller, DuckDB and pandas. Prints medians of RUNS runs,
# MB/s, peak memory, the ratio to the plain program and the median CPU
# time (user + system, all cores). Runs alternate
# between the tools so that both see the same machine.
#
#   ROWS="1000000 10000000" RUNS=5 ./runner/bench/bench.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
ROWS=${ROWS:-"1000000 10000000"}
RUNS=${RUNS:-5}
data=runner/bench/data
mkdir -p "$data" bin
go build -o bin/galley ./runner/cmd/galley
go build -o bin/bench-gen ./runner/bench/gen
go build -o bin/bench-baseline ./runner/bench/baseline
time_cmd() { # prints "seconds kilobytes cpu-seconds" for one run of "$@"
  /usr/bin/time -f "%e %M %U %S" -o "$data/.time" "$@" >/dev/null 2>"$data/.err" || { cat "$data/.err" >&2; exit 1; }
  awk '{print $1, $2, $3 + $4}' "$data/.time"
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
printf '%-10s %-22s %9s %9s %10s %8s %8s\n' rows tool median_s MB/s peak_MiB ratio cpu_s
for n in $ROWS; do
  csv="$data/incidents-$n.csv"
  [ -f "$csv" ] || bin/bench-gen -rows "$n" -o "$csv"
  mb=$(( $(stat -c %s "$csv") / 1000000 ))
  proj="$data/project-$n"
  rm -rf "$proj" && mkdir -p "$proj/analyses" "$proj/datasets" "$proj/node_modules/echarts/dist"
  ln -f "$csv" "$proj/datasets/incidents.csv"
  cp node_modules/echarts/dist/echarts.min.js "$proj/node_modules/echarts/dist/"
  cp runner/bench/task-t.yaml "$proj/analyses/task-t.yaml"
  bin/galley pin -root "$proj" "$proj/analyses/task-t.yaml" 2>/dev/null
  cat "$csv" >/dev/null # warm the page cache, as for wc -l
  declare -A secs=() mem=() cpu=()
  tools="galley baseline"
  command -v mlr >/dev/null && tools="$tools miller"
  command -v duckdb >/dev/null && tools="$tools duckdb"
  python3 -c 'import pandas' 2>/dev/null && tools="$tools pandas"
  for i in $(seq "$RUNS"); do
    for t in $tools; do
      case $t in
        galley) r=$(time_cmd bin/galley run -root "$proj" -out "$proj/reports" "$proj/analyses/task-t.yaml") ;;
        baseline) r=$(time_cmd bin/bench-baseline "$csv") ;;
        miller) r=$(time_cmd mlr --icsv --ocsv filter '$city == "Mosul" && $date >= "2016-10-17" && $date <= "2017-07-20" && $deaths_max >= 1' then stats1 -a count,sum,max -f deaths_min,deaths_max -g belligerent "$csv") ;;
        duckdb) r=$(time_cmd duckdb -c "select belligerent, count(*), sum(deaths_min), sum(deaths_max), max(deaths_max) from read_csv_auto('$csv') where city = 'Mosul' and date between '2016-10-17' and '2017-07-20' and deaths_max >= 1 group by belligerent order by belligerent") ;;
        pandas) r=$(time_cmd python3 -c "
import pandas as pd
d = pd.read_csv('$csv', usecols=['date','city','belligerent','deaths_min','deaths_max'])
d = d[(d.city == 'Mosul') & (d.date >= '2016-10-17') & (d.date <= '2017-07-20') & (d.deaths_max >= 1)]
print(d.groupby('belligerent').agg({'deaths_min': ['count', 'sum'], 'deaths_max': ['sum', 'max']}))") ;;
      esac
      read -r s m c <<<"$r"
      secs[$t]+="$s "; mem[$t]+="$m "; cpu[$t]+="$c "
    done
  done
  base=$(echo ${secs[baseline]} | tr ' ' '\n' | median)
  for t in $tools; do
    s=$(echo ${secs[$t]} | tr ' ' '\n' | median)
    m=$(echo ${mem[$t]} | tr ' ' '\n' | sort -n | tail -1)
    c=$(echo ${cpu[$t]} | tr ' ' '\n' | median)
    awk -v n="$n" -v t="$t" -v s="$s" -v mb="$mb" -v m="$m" -v b="$base" -v c="$c" \
      'BEGIN { printf "%-10s %-22s %9.2f %9.0f %10.1f %8.2f %8.2f\n", n, t, s, (s > 0 ? mb / s : 0), m / 1024, (b > 0 ? s / b : 0), c }'
  done
done
echo "machine: $(nproc) cores; $(go version); reproduce with: make bench (ROWS=... RUNS=... to change)"
