#!/usr/bin/env bash
# Redis commands per EchoBridge instance per second, with Redis' own INFO commandstats: a private redis-server (no
# persistence) and three instances of the built product (dotnet build -c Release first), idle for DURATION seconds,
# then under closed-loop TCP load (SESSIONS per instance, EchoBridge.Bench tcp) for as long. With NO_REDIS=1 the same
# instances run without ConnectionStrings:Redis (the baseline for their CPU). Ports from BASE_PORT (default 26400) up.
#   bench/cluster.sh                         3 x 300 sessions, 20 s each phase
#   SESSIONS=100 DURATION=10 bench/cluster.sh
#   WARM=30 bench/cluster.sh                 idle phase 30 s after start, past the JIT's first work
set -euo pipefail
cd "$(git -C "$(dirname "${BASH_SOURCE[0]}")" rev-parse --show-toplevel)"
dll=src/EchoBridge/bin/Release/net10.0/EchoBridge.dll
bench=src/EchoBridge.Bench/bin/Release/net10.0/EchoBridge.Bench.dll
base=${BASE_PORT:-26400}; sessions=${SESSIONS:-300}; duration=${DURATION:-20}; redis_port=$((base + 90))
for file in "$dll" "$bench"; do [[ -f $file ]] || { echo "cluster.sh: build first (dotnet build -c Release): no $file" >&2; exit 1; }; done
work=$(mktemp -d)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null; rm -rf "$work"' EXIT

redis=()
if [[ -z ${NO_REDIS:-} ]]; then
  redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no --loglevel warning >"$work/redis.log" 2>&1 &
  pids+=($!)
  redis=(--ConnectionStrings:Redis=127.0.0.1:$redis_port)
fi
servers=()
for i in 1 2 3; do
  dotnet "$dll" --Listener:Port=$((base + i)) --Listener:BindAddress=127.0.0.1 --Listener:Unix:Path="$work/e$i.sock" \
    --Kestrel:Endpoints:Http:Url=http://127.0.0.1:$((base + 10 + i)) "${redis[@]}" --EchoBridge:InstanceName=e$i \
    --Listener:MaxConnectionsPerAddress=100000 --Serilog:MinimumLevel:Default=Warning >"$work/e$i.log" 2>&1 &
  pids+=($!); servers+=($!)
done
for i in 1 2 3; do
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$((base + 10 + i))/readyz" >/dev/null && break; sleep 0.2; done
done
sleep "${WARM:-3}" # past start-up work (WARM seconds)

commands() { # total calls, then one line per command
  [[ -n ${NO_REDIS:-} ]] && { echo "(no redis)"; return; }
  redis-cli -p "$redis_port" INFO commandstats | tr -d '\r' | grep '^cmdstat_' | grep -v 'cmdstat_info\|resetstat' |
    sed 's/,usec_per_call.*//; s/,usec=[0-9]*//' | awk -F'[:=]' '{ n += $3; print } END { print "total " n }'
}
reset() { [[ -n ${NO_REDIS:-} ]] || redis-cli -p "$redis_port" CONFIG RESETSTAT >/dev/null; }
cpu_ms() { for p in "${servers[@]}"; do awk -v hz="$(getconf CLK_TCK)" '{ printf "%d ", ($14 + $15) * 1000 / hz }' "/proc/$p/stat"; done; }
phase() { # phase NAME COMMAND...: runs COMMAND, then prints the phase's seconds, commands and each instance's CPU
  local name=$1; shift
  reset; local c0; c0=$(cpu_ms); local t0; t0=$(date +%s.%N)
  "$@"
  local t1; t1=$(date +%s.%N); local c1; c1=$(cpu_ms)
  echo "== $name: $(echo "$t1 - $t0" | bc) s; server CPU ms per instance: $(awk -v a="$c0" -v b="$c1" 'BEGIN { n = split(a, x, " "); split(b, y, " "); for (i = 1; i <= n; i++) printf "%d ", y[i] - x[i] }')"
  commands
}
load() {
  local jobs=()
  for i in 1 2 3; do
    dotnet "$bench" tcp -c "$sessions" -d "$duration" -w 1 -p $((base + i)) --no-progress >"$work/bench$i.txt" 2>&1 &
    jobs+=($!)
  done
  wait "${jobs[@]}"
}
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
phase "idle, $duration s" sleep "$duration"
phase "3 x $sessions TCP sessions, closed loop" load
for i in 1 2 3; do echo "e$i: $(grep -E 'msgs/s' "$work/bench$i.txt" | tr -s ' ')"; done
