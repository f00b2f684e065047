#!/usr/bin/env bash
# make bench: the benchmark suite (docs/performance.md) on generated incident
# files of 1M and 10M rows. Each task is written three ways: a Galley
# analysis (task-NAME.yaml), the same query in DuckDB (task-NAME.sql, run by
# duckdb.mjs through node on 2 threads, reading the same CSV), and a plain
# encoding/csv program on one core (baseline/, -task NAME):
#
#   t         task T: Mosul incidents during the battle, by belligerent
#   glob      task T over the same rows split in ten files, read by a glob
#   window    the three deadliest days of each city (summed, then ranked)
#   pivot     deaths by month, a column per belligerent
#   quantile  the median, 90th and 99th percentiles of deaths per city
#
# After the first run of a task, every tool's rows are checked against
# Galley's (compare.mjs): a difference stops the script with exit 1. Prints,
# per task and tool, the median wall time of RUNS runs and its spread
# (fastest, slowest), MB/s, the median CPU time (user + system, all cores),
# the peak memory (the largest of the runs, /usr/bin/time's maximum resident
# set), the ratios of the median to DuckDB's and to the plain program's, and
# the ratio of the median CPU time to DuckDB's, which moves less than the
# wall time when others share the machine (the load average is printed at
# the end). Runs alternate between the tools so that all see the same
# machine. The "(query)" row is DuckDB's time without starting node and
# loading the module (duckdb.mjs): its whole run includes them, as
# Galley's includes starting galley.
#
#   ROWS="1000000 10000000" RUNS=5 TASKS="t glob window pivot quantile" ./runner/bench/bench.sh
#
# On a machine shared with others, MAXLOAD=1.5 starts each round of runs
# (one of each tool) only when the 1-minute load average is under 1.5.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROWS=${ROWS:-"1000000 10000000"}
RUNS=${RUNS:-5}
TASKS=${TASKS:-"t glob window pivot quantile"}
MAXLOAD=${MAXLOAD:-}
bench=runner/bench
data=$bench/data
mkdir -p "$data" bin
[ -f node_modules/@duckdb/node-api/package.json ] ||
  { echo "bench: DuckDB is missing: run npm ci (make bench does)" >&2; exit 1; }
go build -o bin/galley ./runner/cmd/galley
go build -o bin/bench-gen ./runner/bench/gen
go build -o bin/bench-baseline ./runner/bench/baseline

time_cmd() { # OUT CMD...: runs CMD, its stdout to OUT; prints "seconds kilobytes cpu-seconds"
  local out=$1; shift
  /usr/bin/time -f "%e %M %U %S" -o "$data/.time" "$@" >"$out" 2>"$data/.err" ||
    { echo "bench: failed: $*" >&2; cat "$data/.err" >&2; exit 1; }
  awk '{print $1, $2, $3 + $4}' "$data/.time"
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
view_of() { # the view whose rows a task's analysis shows
  case $1 in t | glob) echo mosul ;; window) echo top3 ;; pivot) echo by_month ;; quantile) echo by_city ;; esac
}

load=$(cut -d' ' -f1-3 /proc/loadavg)
printf '%-9s %-9s %-9s %8s %8s %8s %6s %7s %8s %8s %8s %9s\n' \
  rows task tool median_s min_s max_s MB/s cpu_s peak_MiB x_duckdb x_plain cpu_x_duck
for n in $ROWS; do
  csv="$data/incidents-$n.csv"
  [ -f "$csv" ] || bin/bench-gen -rows "$n" -o "$csv"
  mb=$(($(stat -c %s "$csv") / 1000000))
  # The glob's ten files: the same rows in order, each file with the header.
  parts="$data/parts-$n"
  if [ ! -f "$parts/incidents-09.csv" ]; then
    rm -rf "$parts" && mkdir -p "$parts"
    tail -n +2 "$csv" | split -l $(((n + 9) / 10)) -d -a 2 --additional-suffix=.csv \
      --filter="{ head -1 '$csv'; cat; } > \$FILE" - "$parts/incidents-"
  fi
  proj="$data/project-$n"
  rm -rf "$proj" && mkdir -p "$proj/analyses" "$proj/datasets/parts" "$proj/out"
  ln -f "$csv" "$proj/datasets/incidents.csv"
  ln -f "$parts"/*.csv "$proj/datasets/parts/"
  cat "$csv" "$parts"/*.csv >/dev/null # warm the page cache, as for wc -l
  for task in $TASKS; do
    [ -f "$bench/task-$task.yaml" ] || { echo "bench: no task $task (runner/bench/task-$task.yaml)" >&2; exit 2; }
    cp "$bench/task-$task.yaml" "$proj/analyses/"
    analysis="$proj/analyses/task-$task.yaml"
    tools="galley baseline duckdb"
    bin/galley pin -root "$proj" "$analysis" >/dev/null
    files=("$csv") source=$csv sql="$bench/task-$task.sql" btask=$task
    if [ "$task" = glob ]; then
      files=("$parts"/incidents-*.csv) source="$parts/incidents-*.csv" sql="$bench/task-t.sql" btask=t
    fi
    if [ "$task" = t ]; then
      command -v mlr >/dev/null && tools="$tools miller"
      python3 -c 'import pandas' 2>/dev/null && tools="$tools pandas"
    fi
    declare -A secs=() mem=() cpu=()
    query="" # DuckDB's own time, without starting node (duckdb.mjs)
    for i in $(seq "$RUNS"); do
      if [ -n "$MAXLOAD" ]; then
        until awk -v m="$MAXLOAD" '{ exit !($1 < m) }' /proc/loadavg; do sleep 15; done
      fi
      for t in $tools; do
        out="$proj/out/$task-$t.json"
        case $t in
          galley) r=$(time_cmd /dev/null bin/galley run -root "$proj" -out "$proj/reports" "$analysis") ;;
          baseline) r=$(time_cmd "$out" bin/bench-baseline -task "$btask" "${files[@]}") ;;
          duckdb) r=$(time_cmd /dev/null node "$bench/duckdb.mjs" "$sql" "$source" "$out") ;;
          miller) r=$(time_cmd /dev/null mlr --icsv --ocsv filter '$city == "Mosul" && $date >= "2016-10-17" && $date <= "2017-07-20" && $deaths_max >= 1' then stats1 -a count,sum,max -f deaths_min,deaths_max -g belligerent "$csv") ;;
          pandas) r=$(time_cmd /dev/null python3 -c "
import pandas as pd
d = pd.read_csv('$csv', usecols=['date','city','belligerent','deaths_min','deaths_max'])
d = d[(d.city == 'Mosul') & (d.date >= '2016-10-17') & (d.date <= '2017-07-20') & (d.deaths_max >= 1)]
print(d.groupby('belligerent').agg({'deaths_min': ['count', 'sum'], 'deaths_max': ['sum', 'max']}))") ;;
        esac
        read -r s m c <<<"$r"
        secs[$t]+="$s " mem[$t]+="$m " cpu[$t]+="$c "
        [ "$t" = duckdb ] && query+="$(cat "$out.seconds") "
      done
      if [ "$i" = 1 ]; then # the same rows from every tool, or stop here
        ref="galley=$proj/reports/task-$task.results.json#$(view_of "$task")"

        others=()
        for t in baseline duckdb; do
          [ "${ref%%=*}" = "$t" ] || others+=("$t=$proj/out/$task-$t.json")
        done
        node "$bench/compare.mjs" "$task" "$ref" "${others[@]}" >&2 ||
          { echo "bench: $n rows, task $task: the tools do not agree (above); no figures" >&2; exit 1; }
      fi
    done
    duck=$(echo ${secs[duckdb]} | tr ' ' '\n' | median)
    duckcpu=$(echo ${cpu[duckdb]} | tr ' ' '\n' | median)
    base=$(echo ${secs[baseline]} | tr ' ' '\n' | median)
    for t in $tools; do
      s=$(echo ${secs[$t]} | tr ' ' '\n' | median)
      lo=$(echo ${secs[$t]} | tr ' ' '\n' | sort -n | head -1)
      hi=$(echo ${secs[$t]} | tr ' ' '\n' | sort -n | tail -1)
      m=$(echo ${mem[$t]} | tr ' ' '\n' | sort -n | tail -1)
      c=$(echo ${cpu[$t]} | tr ' ' '\n' | median)
      awk -v n="$n" -v task="$task" -v t="$t" -v s="$s" -v lo="$lo" -v hi="$hi" -v mb="$mb" -v m="$m" -v c="$c" -v d="$duck" -v b="$base" -v dc="$duckcpu" \
        'BEGIN { printf "%-9s %-9s %-9s %8.2f %8.2f %8.2f %6.0f %7.2f %8.1f %8.2f %8.2f %9.2f\n", n, task, t, s, lo, hi, (s > 0 ? mb / s : 0), c, m / 1024, (d > 0 ? s / d : 0), (b > 0 ? s / b : 0), (dc > 0 ? c / dc : 0) }'
    done
    s=$(echo $query | tr ' ' '\n' | median)
    awk -v n="$n" -v task="$task" -v s="$s" -v d="$duck" -v b="$base" -v mb="$mb" \
      'BEGIN { printf "%-9s %-9s %-9s %8.2f %8s %8s %6.0f %7s %8s %8.2f %8.2f %9s\n", n, task, "(query)", s, "-", "-", (s > 0 ? mb / s : 0), "-", "-", (d > 0 ? s / d : 0), (b > 0 ? s / b : 0), "-" }'
    unset secs mem cpu
  done
done
echo "load average (1, 5, 15 min): $load at the start, $(cut -d' ' -f1-3 /proc/loadavg) at the end"
echo "machine: $(nproc) cores; $(go version); DuckDB $(node -p 'require("./node_modules/@duckdb/node-api/package.json").version') through node $(node --version), 2 threads"
echo "reproduce with: make bench (ROWS=... RUNS=... TASKS=... to change)"
