#!/bin/sh
# seeds.sh: fills DIR with a seed corpus for fuzz_rollout: the golden
# cases, the examples, and a few generated rollouts big enough to reach the
# Argo splits (over 200 deploys in a cluster, 200 clusters in a wave, 200
# templates in a Workflow).  Usage: tests/fuzz/seeds.sh DIR
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$(dirname "$here")")
dir=${1:?usage: seeds.sh DIR}
mkdir -p "$dir"
for f in "$top"/tests/golden/*.dsl; do
	cp "$f" "$dir/golden-$(basename "$f")"
done
(cd "$top" && find examples -name '*.dsl') | while read -r f; do
	cp "$top/$f" "$dir/$(echo "$f" | tr / _)"
done

# a chain of 210 services in one cluster: its DAG is split in chunks
{
	printf 'rollout r\ngroup g { c }\nservice s0{in c}\n'
	for i in $(seq 1 209); do
		printf 'service s%d{in c;needs s%d}\n' "$i" $((i - 1))
	done
	printf 'wave w { in c }\n'
} >"$dir/gen-split-chain.dsl"

# one wave of 205 clusters of one shape: the wave is split in parts
{
	printf 'rollout r\ngroup g {c0'
	for i in $(seq 1 204); do printf ',c%d' "$i"; done
	printf '}\nservice a{in g}\nservice b{in g;needs a}\n'
	printf 'wave w { in g; parallel 10; approve }\n'
} >"$dir/gen-wave-parts.dsl"

# two waves of 70 clusters, each with a service of its own: too many
# templates for one Workflow, so --split waves writes one per wave
{
	printf 'rollout r { notify "n" }\ngroup g {c0'
	for i in $(seq 1 69); do printf ',c%d' "$i"; done
	printf '}\ngroup h {d0'
	for i in $(seq 1 69); do printf ',d%d' "$i"; done
	printf '}\n'
	for i in $(seq 0 69); do
		printf 'service s%d{in c%d}\nservice t%d{in d%d;needs s%d}\n' \
		    "$i" "$i" "$i" "$i" "$i"
	done
	printf 'wave w { in g; soak 1h; approve }\n'
	printf 'wave x { in h; on-failure rollback }\n'
} >"$dir/gen-split-waves.dsl"
echo "seeds in $dir: $(ls "$dir" | wc -l) files"
