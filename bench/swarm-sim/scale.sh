#!/usr/bin/env bash
# Whole-swarm simulator scale benchmark (engine test sources): real SwarmCores, virtual time, the BULK
# transport (block trains without payload bytes; every other message through the real codec).
# One JVM per row (-Xmx4g) so "peak heap" is that row's own.
# Usage: bench/swarm-sim/scale.sh [PEERS] [MIB] [PIECE_KIB] [SEED]   (defaults: 1000 1024 256 1)
#        JAVA_OPTS=-Dtransport=EXACT bench/swarm-sim/scale.sh ...    (frame by frame, real block bytes)
#        JAVA_OPTS=-DredundantHaves=false bench/swarm-sim/scale.sh ... (no haves to peers known to have the piece)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
peers="${1:-1000}"
mib="${2:-1024}"
piece_kib="${3:-256}"
seed="${4:-1}"
# a relative outputFile is per module: engine's own list names the reactor's torrent/ and dht/ classes
mvn -B -q -pl engine -am test-compile dependency:build-classpath -Dmdep.outputFile=target/sim-classpath.txt \
  -Dmdep.includeScope=test >&2
cp="engine/target/test-classes:engine/target/classes:$(cat engine/target/sim-classpath.txt)"

echo "| peers | torrent | completed | torrent build s | run wall s | main-thread CPU s | peak heap MiB | completion s min / median / p90 / max | virtual s | seed uploaded (copies) | events | haves sent (to holders; of them to seeds) |"
echo "|---:|---|---|---:|---:|---:|---:|---|---:|---:|---:|---:|"
java -Xmx4g -XX:+UseParallelGC ${JAVA_OPTS:-} -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp "$cp" io.kadtorrent.engine.sim.SwarmScaleBenchmark "$peers" "$mib" "$piece_kib" "$seed"
