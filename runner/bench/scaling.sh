#!/usr/bin/env bash
# How Galley's cost grows with the columns an analysis uses, the number of
# groups and the number of views, on the benchmark's 1M-row file (make bench
# generates it). Prints the median of RUNS runs and the peak memory of each.
#
#   RUNS=3 ./runner/bench/scaling.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
RUNS=${RUNS:-3}
data=runner/bench/data
csv="$data/incidents-1000000.csv"
[ -f "$csv" ] || { go build -o bin/bench-gen ./runner/bench/gen && bin/bench-gen -rows 1000000 -o "$csv"; }
go build -o bin/galley ./runner/cmd/galley
proj="$data/scaling"
rm -rf "$proj" && mkdir -p "$proj/analyses" "$proj/datasets"
ln -f "$csv" "$proj/datasets/incidents.csv"
# The dataset block of task T, shared by every variant.
head="$(sed -n '/^title:/,/^views:/p' runner/bench/task-t.yaml | sed '$d')"
variant() { # name, then the views: block
  { echo "$head" | sed "s/^title: .*/title: \"$1\"/"; echo "views:"; cat; } > "$proj/analyses/$1.yaml"
}
variant cols-5 <<'V'
  v:
    from: incidents
    where: city == "Mosul" && day >= date("2016-10-17") && day <= date("2017-07-20") && deaths_max >= 1
    group_by: [belligerent]
    aggregate: {n: count(), lo: sum(deaths_min), hi: sum(deaths_max), worst: max(deaths_max)}
V
variant cols-10 <<'V'
  v:
    from: incidents
    where: city == "Mosul" && day >= date("2016-10-17") && deaths_max >= 1 && (injured ?? 0) >= 0 && latitude > 0 && longitude > 0 && description != "" && incident_id != ""
    group_by: [belligerent]
    aggregate: {n: count(), lo: sum(deaths_min), hi: sum(deaths_max), worst: max(deaths_max)}
V
variant groups-8 <<'V'
  v:
    from: incidents
    group_by: [belligerent]
    aggregate: {n: count(), hi: sum(deaths_max)}
V
variant groups-1240 <<'V'
  v:
    from: incidents
    group_by: [day]
    aggregate: {n: count(), hi: sum(deaths_max)}
V
variant groups-1M <<'V'
  v:
    from: incidents
    group_by: [incident_id]
    aggregate: {n: count(), hi: sum(deaths_max)}
V
variant views-1 <<'V'
  a:
    from: incidents
    group_by: [city]
    aggregate: {n: count()}
V
variant views-4 <<'V'
  a:
    from: incidents
    group_by: [city]
    aggregate: {n: count()}
  b:
    from: incidents
    group_by: [belligerent]
    aggregate: {n: count()}
  c:
    from: incidents
    where: deaths_max >= 5
    group_by: [city]
    aggregate: {hi: sum(deaths_max)}
  d:
    from: incidents
    group_by: [day]
    aggregate: {n: count()}
V
bin/galley pin -root "$proj" 2>/dev/null
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
printf '%-14s %9s %10s\n' variant median_s peak_MiB
for f in "$proj"/analyses/*.yaml; do
  name=$(basename "$f" .yaml); secs=""; mem=0
  for i in $(seq "$RUNS"); do
    /usr/bin/time -f "%e %M" -o "$data/.time" bin/galley check -root "$proj" "$f" 2>/dev/null
    read -r s m < "$data/.time"; secs+="$s "; [ "$m" -gt "$mem" ] && mem=$m
  done
  printf '%-14s %9.2f %10.1f\n' "$name" "$(echo $secs | tr ' ' '\n' | median)" "$(echo "$mem / 1024" | bc -l)"
done
