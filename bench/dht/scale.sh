#!/usr/bin/env bash
# DHT scale benchmark: the simulator (dht test sources) at 1k / 10k / 100k nodes.
# Each size runs in its own JVM (-Xmx4g) so "peak heap" is that size's own.
# Usage: bench/dht/scale.sh [LOOKUPS] [SEED]     (from the repository root or anywhere)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
lookups="${1:-1000}"
seed="${2:-1}"
cpfile="$(mktemp)"
trap 'rm -f "$cpfile"' EXIT
mvn -B -q -pl dht -am test-compile dependency:build-classpath -Dmdep.outputFile="$cpfile" -Dmdep.includeScope=test >&2
cp="dht/target/test-classes:dht/target/classes:$(cat "$cpfile")"

echo "| nodes | tables | lookups | hops median / p99 | log2(N)/3 | messages median / p99 | exact K closest | exact after 30 % killed | messages after kill median / p99 | build s | lookups s | peak heap MiB | live heap after GC MiB |"
echo "|---:|---|---:|---|---:|---|---:|---:|---|---:|---:|---:|---:|"
for spec in "1000 join" "10000 join" "100000 join" "1000 warm" "10000 warm" "100000 warm"; do
  set -- $spec
  java -Xmx4g -cp "$cp" io.kadtorrent.dht.sim.ScaleBenchmark "$1" "$lookups" "$seed" "$2"
done
