#!/usr/bin/env bash
# DHT scale benchmark: the simulator (module simulator/) from 1k to 1M nodes.
# Each row runs in its own JVM so "peak heap" is that row's own (-Xmx4g; 15g for sizes above 200k).
# Usage: bench/dht/scale.sh [LOOKUPS] [SEED] [SIZES...]   (from the repository root or anywhere)
#   default sizes: 1000 10000 100000; pass e.g. "1000000" for the million-node rows
#   (10,000 lookups there: bench/dht/scale.sh 10000 1 1000000).
# Rows per size: join with the uniform link, join with the mainline link (fixed 1 s timeouts, QueryPolicy.PATIENT),
# the same with QueryPolicy.ADAPTIVE (timeouts from measured RTT), and warm tables; above 200k only the adaptive
# mainline join. SCALE_SPECS="join mainline adaptive,warm uniform" picks rows (comma-separated).
# The JVM runs the parallel collector: at 20k nodes it cut join CPU by about a third against G1 (21.2 vs 31.3 s,
# same seed and results), at the cost of a larger young generation (higher peak heap, same live heap).
# Above 200k nodes: a 15 GiB heap with a 7 GiB young generation (young collections copy survivors; fewer of
# them copy less), and the simulator on 2 threads (-Dscale.threads=2: 8 shards, claimed by the 2 threads, run each
# window of events in parallel, same outcome as 1 thread; see SimulatedNetwork). Every java line is echoed to stderr before it runs.
# Steady state (SCALE_JAVA_OPTS="-Dscale.hours=H"): after the join the network runs H virtual hours through the protocol
# (SteadyState): each node starts a get_peers of a random info_hash every -Dscale.lookupEvery=300 s on average, half of
# them announces (-Dscale.announceShare=0.5), engines refresh idle buckets (BEP 5), -Dscale.session=M adds churn
# (Weibull 0.5 sessions of median M minutes, each leaver replaced by a joiner). Cost: 20k nodes, H = 1: 6 min CPU, 2.3 GiB peak;
# 100k, H = 0.5: 23 min CPU and a 6.3 GiB peak (SCALE_JAVA_OPTS="-Xmx6g ..."). -Dscale.ab=fastFirst|stragglers: A/B of a lookup lever.
# SCALE_JAVA_OPTS adds JVM options to every row (after the defaults, so it can override them), e.g. SCALE_JAVA_OPTS="-XX:StartFlightRecording=filename=x.jfr" to profile.
# Columns: seconds are wall / process CPU (every JVM thread); load is the 1-minute load average at the
# start and end of the row; GC s is the wall time of the collections (pauses) before the final full one;
# latencies are virtual milliseconds (uniform: 10-100 ms one way, no loss; mainline: LinkModel.mainline(), see bench/RESULTS.md "DHT simulator").
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
lookups="${1:-1000}"
seed="${2:-1}"
shift $(( $# > 2 ? 2 : $# ))
sizes=("$@")
if [ ${#sizes[@]} -eq 0 ]; then
  sizes=(1000 10000 100000)
fi
cpfile="$(mktemp)"
trap 'rm -f "$cpfile"' EXIT
mvn -B -q -pl simulator -am compile dependency:build-classpath -Dmdep.outputFile="$cpfile" -Dmdep.includeScope=runtime >&2
cp="simulator/target/classes:$(cat "$cpfile")"

echo "| nodes | tables | link | lookups | hops median / p99 | log2(N)/3 | messages median / p99 | exact K closest | exact after 30 % killed | messages after kill median / p99 | announces found after kill | ms to K closest p50 / p90 / p99 | ms to first peer p50 / p90 / p99 | build s wall / CPU | lookups s wall / CPU | peak heap MiB | live heap after GC MiB | load avg | GC s |"
echo "|---:|---|---|---:|---|---:|---|---:|---:|---|---:|---|---|---|---|---:|---:|---|---:|"
for size in "${sizes[@]}"; do
  heap="-Xmx4g"
  extra=""
  if [ "$size" -gt 200000 ]; then
    heap="-Xms15g -Xmx15g -Xmn7g"
    extra="-Dscale.concurrent=500 -Dscale.threads=2" # 10,000 lookups in 20 batches, not 200: see ScaleBenchmark.CONCURRENT_LOOKUPS
  fi
  specs=("join uniform" "join mainline" "join mainline adaptive" "warm uniform")
  if [ "$size" -gt 200000 ]; then
    specs=("join mainline adaptive") # 1M on 2 threads, quiet machine: join 434 s wall / 787 s CPU (2026-12-02 19:10)
  fi
  if [ -n "${SCALE_SPECS:-}" ]; then
    IFS=',' read -r -a specs <<< "$SCALE_SPECS"
  fi
  for spec in "${specs[@]}"; do
    set -- $spec
    echo "+ java $heap -XX:+UseParallelGC $extra ${SCALE_JAVA_OPTS:-} -cp ... io.kadtorrent.dht.sim.ScaleBenchmark $size $lookups $seed $*" >&2
    java $heap -XX:+UseParallelGC $extra ${SCALE_JAVA_OPTS:-} -cp "$cp" io.kadtorrent.dht.sim.ScaleBenchmark "$size" "$lookups" "$seed" "$@"
  done
done
