#!/usr/bin/env bash
# The standard side-by-side suite, as EchoBridge's performance is judged (shared/bench/README.md): the C reference
# echo server (refecho) and EchoBridge, each pinned to CPU 0, measured in turn by a closed-loop load generator pinned
# to CPU 1, over TCP on loopback, for several rounds. Prints the medians and the ratios EchoBridge / C as Markdown.
# Absolute figures drift between runs on shared machines; ratios taken within one run hold.
#
# usage: bench/run.sh [--load bench|echoload] [--rounds N] [--duration S] [--warmup S] [--server-warmup S]
#                     [--shapes "1x64 50x64 ..."] [--hub-shapes "1x64 50x64"] [--hub-variants "json ..."]
#   --load bench     the load generator is src/EchoBridge.Bench (default)
#   --load echoload  the load generator is shared/bench/echoload.c, to cross-check the bench's figures
# The same settings can come from the environment: LOAD, ROUNDS (3), DURATION (10), WARMUP (2, before each run),
# SERVER_WARMUP (10, unmeasured load on a freshly started EchoBridge so its JIT reaches optimized code first),
# SHAPES ("1x64 50x64 200x64 10x16384", CONNECTIONSxBYTES), SHARED_DIR (default: the repository's ../shared),
# HUB_SHAPES ("1x64 50x64"; "" skips the bridge) and HUB_VARIANTS ("json json-nowait messagepack-nowait
# messagepack-nowait-x5": the protocol, -nowait for sends without a completion each, -xK for K sessions sharing one hub
# connection as the consoles of one dashboard tab do): the bridge
# measured through the hub with EchoBridge.Bench, beside bench/ceiling/SignalRCeiling.cs (the same hub contract with
# no socket behind it: the most any SignalR relay can do here), as ratios to refecho's TCP figure for the same shape,
# WATCHED_SHAPES ("50x64"; load bench only; "" skips): EchoBridge measured again while a dashboard watches (--watchers 1),
# EB_ARGS (extra settings for EchoBridge, e.g. "--Listener:InlineScheduling=false", to compare variants).
# Progress goes to stderr; the Markdown report to stdout. Exits non-zero if any run fails or an echo is corrupt.
set -euo pipefail

LOAD=${LOAD:-bench}
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-2}
SERVER_WARMUP=${SERVER_WARMUP:-10}
SHAPES=${SHAPES:-1x64 50x64 200x64 10x16384}
HUB_SHAPES=${HUB_SHAPES-1x64 50x64}
WATCHED_SHAPES=${WATCHED_SHAPES-50x64}
HUB_VARIANTS=${HUB_VARIANTS:-json json-nowait messagepack-nowait messagepack-nowait-x5}

usage() { sed -n '2,14s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; }
fail() { echo "run.sh: $*" >&2; exit 1; }
say() { echo "$*" >&2; }

while [[ $# -gt 0 ]]; do
  case $1 in
    --load) LOAD=${2:?--load needs bench or echoload}; shift 2 ;;
    --rounds) ROUNDS=${2:?--rounds needs a number}; shift 2 ;;
    --duration) DURATION=${2:?--duration needs seconds}; shift 2 ;;
    --warmup) WARMUP=${2:?--warmup needs seconds}; shift 2 ;;
    --server-warmup) SERVER_WARMUP=${2:?--server-warmup needs seconds}; shift 2 ;;
    --shapes) SHAPES=${2:?--shapes needs a list like \"1x64 50x64\"}; shift 2 ;;
    --hub-shapes) HUB_SHAPES=${2?--hub-shapes needs a list like \"1x64 50x64\", or \"\"}; shift 2 ;;
    --watched-shapes) WATCHED_SHAPES=${2?--watched-shapes needs a list like \"50x64\", or \"\"}; shift 2 ;;
    --hub-variants) HUB_VARIANTS=${2:?--hub-variants needs a list like \"json messagepack-nowait\"}; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; fail "unknown option: $1" ;;
  esac
done

[[ $LOAD == bench || $LOAD == echoload ]] || fail "--load must be bench or echoload, not '$LOAD'"
[[ $ROUNDS =~ ^[1-9][0-9]*$ ]] || fail "rounds must be a whole number of at least 1, not '$ROUNDS'"
[[ $DURATION =~ ^[1-9][0-9]*$ ]] || fail "duration must be whole seconds, at least 1, not '$DURATION'"
[[ $WARMUP =~ ^[0-9]+$ ]] || fail "warmup must be whole seconds, not '$WARMUP'"
[[ $SERVER_WARMUP =~ ^[0-9]+$ ]] || fail "server warmup must be whole seconds, not '$SERVER_WARMUP'"
for shape in $SHAPES $HUB_SHAPES; do
  [[ $shape =~ ^[1-9][0-9]*x[1-9][0-9]*$ ]] || fail "a shape is CONNECTIONSxBYTES (like 50x64), not '$shape'"
done
[[ $LOAD == bench ]] || WATCHED_SHAPES="" # echoload cannot hold a Watch stream
for shape in $HUB_SHAPES $WATCHED_SHAPES; do
  [[ " $SHAPES " == *" $shape "* ]] || fail "hub shape $shape needs the same TCP shape in --shapes (its ratio is to refecho's TCP figure)"
done
for variant in $HUB_VARIANTS; do
  [[ $variant =~ ^(json|messagepack)(-nowait)?(-x[1-8])?$ ]] \
    || fail "a hub variant is json or messagepack, then -nowait or not, then -xK (K of 1-8 sessions per hub connection) or not, not '$variant'"
done
for tool in gcc dotnet curl taskset ss timeout; do
  command -v "$tool" >/dev/null || fail "needs $tool on PATH"
done
taskset -c 0,1 true 2>/dev/null || fail "needs CPUs 0 and 1 (the server runs on one, the load on the other)"

repo=$(git -C "$(dirname "${BASH_SOURCE[0]}")" rev-parse --show-toplevel)
shared=${SHARED_DIR:-$repo/../shared}
[[ -f $shared/bench/refecho.c ]] || fail "no $shared/bench/refecho.c (set SHARED_DIR to the folder holding bench/)"

work=$(mktemp -d "${TMPDIR:-/tmp}/echobridge-bench.XXXXXX")
pids=()

# Stops one process we started: politely, then for good after 5 s.
stop() {
  local pid=$1
  kill -TERM "$pid" 2>/dev/null || return 0
  for _ in $(seq 50); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

cleanup() {
  for pid in "${pids[@]}"; do stop "$pid"; done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# A port nothing uses on TCP or UDP (EchoBridge takes both), below the ephemeral range the clients' own ports come from.
free_port() {
  local port
  for _ in $(seq 100); do
    port=$((20000 + RANDOM % 12000))
    if ! ss -Htuan | awk '{print $5}' | grep -q ":$port\$"; then
      echo "$port"
      return
    fi
  done
  fail "found no free port"
}

# Waits (at most 10 s) until something accepts TCP connections on 127.0.0.1:$1.
wait_tcp() {
  for _ in $(seq 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}

# Other work on the machine skews every figure (the ratios less so): say so up front, and in the report.
load_average=$(cut -d' ' -f1 /proc/loadavg)
if awk -v l="$load_average" 'BEGIN { exit !(l > 1.0) }'; then
  say "warning: load average is $load_average before starting: other work on this machine will skew the figures"
fi

# --- build -------------------------------------------------------------------------------------------------------
say "building refecho, EchoBridge (Release) and the load generator in $work"
gcc -O2 -o "$work/refecho" "$shared/bench/refecho.c"
if [[ $LOAD == echoload ]]; then
  gcc -O2 -o "$work/echoload" "$shared/bench/echoload.c"
fi
publish() {
  dotnet publish "$repo/src/$1" -c Release -o "$work/$1" --nologo >"$work/build-$1.log" 2>&1 \
    || { cat "$work/build-$1.log" >&2; fail "publishing $1 failed"; }
}
publish EchoBridge
if [[ $LOAD == bench || -n $HUB_SHAPES ]]; then
  publish EchoBridge.Bench
fi
if [[ -n $HUB_SHAPES ]]; then
  dotnet publish "$repo/bench/ceiling/SignalRCeiling.cs" -c Release -o "$work/ceiling" >"$work/build-ceiling.log" 2>&1 \
    || { cat "$work/build-ceiling.log" >&2; fail "publishing the SignalR ceiling failed"; }
fi

# --- servers -----------------------------------------------------------------------------------------------------
ref_port=$(free_port)
eb_port=$(free_port)
eb_http=$(free_port)
while [[ $eb_port == "$ref_port" ]]; do eb_port=$(free_port); done
while [[ $eb_http == "$ref_port" || $eb_http == "$eb_port" ]]; do eb_http=$(free_port); done
ceiling_http=$(free_port)
while [[ " $ref_port $eb_port $eb_http " == *" $ceiling_http "* ]]; do ceiling_http=$(free_port); done

start_refecho() {
  taskset -c 0 "$work/refecho" "$ref_port" &
  ref_pid=$!
  pids+=("$ref_pid")
  wait_tcp "$ref_port" || fail "refecho did not start on port $ref_port"
}

# EchoBridge as shipped (telnet on, its default), minus what would distort a benchmark: the UDP rate limit, the bridge's
# send rate limit (500 a second per hub connection refuses a closed loop), and session open/close logs at Information. Its content root is the publish folder, so its appsettings.json applies.
start_echobridge() {
  local extra=()
  read -ra extra <<<"${EB_ARGS:-}" # more settings for EchoBridge, to compare variants: EB_ARGS="--Listener:X=y"
  (cd "$work/EchoBridge" && exec taskset -c 0 ./EchoBridge "${extra[@]}" \
    --Listener:Port="$eb_port" \
    --Listener:Unix:Path="$work/eb.sock" \
    --Listener:Udp:RateLimitPerSecond=0 \
    --Bridge:SendRatePerSecond=1000000 --Bridge:SendBurst=1000000 \
    --Kestrel:Endpoints:Http:Url="http://127.0.0.1:$eb_http" \
    --Serilog:MinimumLevel:Default=Warning) >>"$work/echobridge.log" 2>&1 &
  eb_pid=$!
  pids+=("$eb_pid")
  for _ in $(seq 300); do
    curl -fsS -o /dev/null "http://127.0.0.1:$eb_http/readyz" 2>/dev/null && return 0
    kill -0 "$eb_pid" 2>/dev/null || break
    sleep 0.1
  done
  cat "$work/echobridge.log" >&2
  fail "EchoBridge did not become ready on http://127.0.0.1:$eb_http/readyz"
}

# The ceiling hub, on its own while the bridge is measured (see bench/ceiling/SignalRCeiling.cs).
start_ceiling() {
  (cd "$work/ceiling" && exec taskset -c 0 ./SignalRCeiling --urls "http://127.0.0.1:$ceiling_http") >>"$work/ceiling.log" 2>&1 &
  ceiling_pid=$!
  pids+=("$ceiling_pid")
  for _ in $(seq 300); do
    curl -fsS -o /dev/null -X POST "http://127.0.0.1:$ceiling_http/hubs/bridge/negotiate?negotiateVersion=1" 2>/dev/null && return 0
    kill -0 "$ceiling_pid" 2>/dev/null || break
    sleep 0.1
  done
  cat "$work/ceiling.log" >&2
  fail "the SignalR ceiling did not start on http://127.0.0.1:$ceiling_http"
}

stop_servers() {
  for pid in "${pids[@]}"; do stop "$pid"; done
  pids=()
}

# --- load --------------------------------------------------------------------------------------------------------
json_value() { sed -n "s/.*\"$1\":\([0-9.]*\).*/\1/p" <<<"$2"; }
kv_value() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p" <<<"$2"; }

# CPU time (user + system) of process $1 so far, in clock ticks (USER_HZ, 100 a second on Linux).
cpu_ticks() { awk '{ sub(/.*\) /, ""); print $12 + $13 }' "/proc/$1/stat"; }

# Runs one measurement; prints "msgs_per_s mb_per_s p50_us p99_us server_cpu_percent". Extra arguments go to the bench.
measure() {
  local port=$1 server_pid=$2 conns=$3 size=$4 out limit=$((WARMUP + DURATION + 30))
  shift 4
  if [[ $LOAD == bench ]]; then
    out=$(timeout "$limit" taskset -c 1 "$work/EchoBridge.Bench/EchoBridge.Bench" tcp --port "$port" "$@" \
      --connections "$conns" --size "$size" --duration "$DURATION" --warmup "$WARMUP" \
      --server-pid "$server_pid" --json --no-progress) || { echo "$out" >&2; return 1; }
    echo "$(json_value msgs_per_s "$out") $(json_value mb_per_s "$out") $(json_value p50 "$out")" \
      "$(json_value p99 "$out") $(json_value server_cpu_percent "$out")"
  else
    # echoload has no warmup of its own: a first, discarded run is the warmup.
    if ((WARMUP > 0)); then
      timeout "$limit" taskset -c 1 "$work/echoload" 127.0.0.1 "$port" "$conns" "$size" "$WARMUP" >/dev/null || return 1
    fi
    local ticks_before ticks_after started ended
    ticks_before=$(cpu_ticks "$server_pid")
    started=$(date +%s.%N)
    out=$(timeout "$limit" taskset -c 1 "$work/echoload" 127.0.0.1 "$port" "$conns" "$size" "$DURATION") \
      || { echo "$out" >&2; return 1; }
    ended=$(date +%s.%N)
    ticks_after=$(cpu_ticks "$server_pid")
    echo "$(kv_value msgs_per_s "$out") $(kv_value MB_per_s "$out") $(kv_value p50_us "$out") $(kv_value p99_us "$out")" \
      "$(awk -v t=$((ticks_after - ticks_before)) -v s="$started" -v e="$ended" 'BEGIN { printf "%.1f", t / (e - s) }')"
  fi
}

# Sets url and pid to the hub server $1 (echobridge or ceiling).
hub_server() {
  if [[ $1 == echobridge ]]; then url=http://127.0.0.1:$eb_http pid=$eb_pid; else url=http://127.0.0.1:$ceiling_http pid=$ceiling_pid; fi
}

# keep KEY SHAPE LABEL FIGURES: shows one run's figures as progress and keeps them for the report under KEY and SHAPE.
keep() {
  say "round $round/$ROUNDS  $3: msgs/s MB/s p50 p99 server-CPU% = $4"
  printf '%s\t%s\t%s\n' "$1" "$2" "$4" >>"$results"
}

# Runs one measurement through a hub at $1 (server pid $2), variant $5; prints the same five figures as measure.
measure_hub() {
  local url=$1 server_pid=$2 conns=$3 size=$4 variant=$5 out limit=$((WARMUP + DURATION + 60)) args=()
  [[ $variant == messagepack* ]] && args+=(--hub-protocol messagepack)
  [[ $variant == *-nowait* ]] && args+=(--hub-no-wait)
  [[ $variant =~ -x([0-9]+)$ ]] && args+=(--hub-sessions-per-connection "${BASH_REMATCH[1]}")
  out=$(timeout "$limit" taskset -c 1 "$work/EchoBridge.Bench/EchoBridge.Bench" hub --hub-url "$url" "${args[@]}" \
    --connections "$conns" --size "$size" --duration "$DURATION" --warmup "$WARMUP" \
    --server-pid "$server_pid" --json --no-progress) || { echo "$out" >&2; return 1; }
  echo "$(json_value msgs_per_s "$out") $(json_value mb_per_s "$out") $(json_value p50 "$out")" \
    "$(json_value p99 "$out") $(json_value server_cpu_percent "$out")"
}

# .NET compiles hot code in tiers: a server that has just started runs instrumented code for several seconds under
# load (seen in profiles: ~10 s on a busy 2-core machine) before its optimized tier. A run's own warmup of 2 s is not
# enough for that, so a fresh EchoBridge first gets unmeasured load: 50 connections of 64 B, then 10 of 16 KiB.
warm_up_echobridge() {
  ((SERVER_WARMUP > 0)) || return 0
  local half=$(((SERVER_WARMUP + 1) / 2)) limit=$((SERVER_WARMUP + 30)) shape
  say "warming EchoBridge up for ${SERVER_WARMUP} s"
  for shape in 50x64 10x16384; do
    if [[ $LOAD == bench ]]; then
      timeout "$limit" taskset -c 1 "$work/EchoBridge.Bench/EchoBridge.Bench" tcp --port "$eb_port" \
        --connections "${shape%x*}" --size "${shape#*x}" --duration "$half" --warmup 0 --no-progress >/dev/null
    else
      timeout "$limit" taskset -c 1 "$work/echoload" 127.0.0.1 "$eb_port" "${shape%x*}" "${shape#*x}" "$half" >/dev/null
    fi || fail "warming EchoBridge up failed"
  done
}

results=$work/results.tsv
: >"$results"
for round in $(seq "$ROUNDS"); do
  start_refecho
  start_echobridge
  warm_up_echobridge
  # Alternate which server goes first, so neither always gets the fresher machine.
  if ((round % 2)); then order="refecho echobridge"; else order="echobridge refecho"; fi
  for shape in $SHAPES; do
    conns=${shape%x*} size=${shape#*x}
    servers=$order
    # A dashboard watching: measured next to EchoBridge unwatched, before or after it by turns like the servers.
    if [[ " $WATCHED_SHAPES " == *" $shape "* ]]; then
      if ((round % 2)); then servers="$order echobridge-watched"; else servers="echobridge-watched $order"; fi
    fi
    for server in $servers; do
      extra=()
      if [[ $server == refecho ]]; then port=$ref_port pid=$ref_pid; else port=$eb_port pid=$eb_pid; fi
      [[ $server == echobridge-watched ]] && extra=(--watchers 1 --hub-url "http://127.0.0.1:$eb_http")
      figures=$(measure "$port" "$pid" "$conns" "$size" "${extra[@]}") \
        || fail "round $round, $shape against $server failed (integrity error, connection failure or timeout)"
      keep "$server" "$shape" "$shape  $server" "$figures"
    done
  done
  stop_servers

  # The bridge: EchoBridge and the ceiling in turns, each warmed up first (the same reason as above).
  if [[ -n $HUB_SHAPES ]]; then
    start_echobridge
    start_ceiling
    for server in echobridge ceiling; do
      hub_server "$server"
      if ((SERVER_WARMUP > 0)); then
        say "warming $server's hub up for ${SERVER_WARMUP} s"
        timeout $((SERVER_WARMUP + 60)) taskset -c 1 "$work/EchoBridge.Bench/EchoBridge.Bench" hub --hub-url "$url" \
          --connections 50 --duration "$SERVER_WARMUP" --warmup 0 --no-progress >/dev/null || fail "warming $server's hub up failed"
      fi
    done
    for shape in $HUB_SHAPES; do
      for variant in $HUB_VARIANTS; do
        for server in echobridge ceiling; do
          hub_server "$server"
          figures=$(measure_hub "$url" "$pid" "${shape%x*}" "${shape#*x}" "$variant") \
            || fail "round $round, hub $shape $variant against $server failed"
          keep "hub-$server-$variant" "$shape" "hub $shape $variant  $server" "$figures"
        done
      done
    done
    stop_servers
  fi
done

# --- report ------------------------------------------------------------------------------------------------------
# median SERVER SHAPE FIELD (1 msgs/s, 2 MB/s, 3 p50, 4 p99, 5 server CPU)
median() {
  awk -F'\t' -v s="$1" -v sh="$2" '$1 == s && $2 == sh { print $3 }' "$results" \
    | awk -v f="$3" '$f != "-" { print $f }' | sort -g | awk '{ v[NR] = $1 } END {
        if (NR == 0) { print "-"; exit }
        m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
        print m }'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "-" || b == "-" || b == 0) print "-"; else printf "%.2f", a / b }'; }
fmt() { awk -v v="$1" -v d="$2" 'BEGIN { if (v == "-") print "-"; else printf "%.*f", d, v }'; }
label() { echo "${1%x*} × ${1#*x} B"; }

commit=$(git -C "$repo" rev-parse --short HEAD)
git -C "$repo" diff --quiet HEAD 2>/dev/null || commit="$commit (with uncommitted changes)"
load_name=$([[ $LOAD == bench ]] && echo "EchoBridge.Bench" || echo "echoload")

cat <<EOF
## EchoBridge vs refecho: TCP closed-loop echo

Medians of $ROUNDS round(s); each run ${DURATION} s measured after ${WARMUP} s warmup, EchoBridge warmed up for
${SERVER_WARMUP} s after each start. Servers pinned to CPU 0, the load generator ($load_name) to CPU 1, loopback.
EchoBridge $commit, $(date -u +%Y-%m-%d), $(nproc) CPUs, load average $load_average before the first run.

### Ratios (EchoBridge / refecho)

| shape | msgs/s | p50 round trip | p99 round trip |
|---|---:|---:|---:|
EOF
for shape in $SHAPES; do
  echo "| $(label "$shape") | $(ratio "$(median echobridge "$shape" 1)" "$(median refecho "$shape" 1)")" \
    "| $(ratio "$(median echobridge "$shape" 3)" "$(median refecho "$shape" 3)")" \
    "| $(ratio "$(median echobridge "$shape" 4)" "$(median refecho "$shape" 4)") |"
done

cat <<EOF

### Absolute figures

| shape | server | msgs/s | MB/s | p50 µs | p99 µs | server CPU |
|---|---|---:|---:|---:|---:|---:|
EOF
for shape in $SHAPES; do
  for server in refecho echobridge; do
    cpu=$(median "$server" "$shape" 5)
    echo "| $(label "$shape") | $([[ $server == refecho ]] && echo refecho || echo EchoBridge)" \
      "| $(fmt "$(median "$server" "$shape" 1)" 0) | $(fmt "$(median "$server" "$shape" 2)" 2)" \
      "| $(fmt "$(median "$server" "$shape" 3)" 0) | $(fmt "$(median "$server" "$shape" 4)" 0)" \
      "| $([[ $cpu == - ]] && echo - || echo "$(fmt "$cpu" 0)%") |"
  done
done

cat <<EOF
EOF

if [[ -n $WATCHED_SHAPES ]]; then
  cat <<EOF

## A dashboard watching

EchoBridge measured again while one dashboard holds a \`Watch\` stream open (EchoBridge.Bench --watchers 1: a SignalR
client reading the snapshots, as an open dashboard tab does), in the same round, before or after the unwatched run by
turns.

| shape | msgs/s unwatched | msgs/s watched | watched / unwatched | server CPU watched |
|---|---:|---:|---:|---:|
EOF
  for shape in $WATCHED_SHAPES; do
    echo "| $(label "$shape") | $(fmt "$(median echobridge "$shape" 1)" 0) | $(fmt "$(median echobridge-watched "$shape" 1)" 0)" \
      "| $(ratio "$(median echobridge-watched "$shape" 1)" "$(median echobridge "$shape" 1)") | $(fmt "$(median echobridge-watched "$shape" 5)" 0)% |"
  done
fi

if [[ -n $HUB_SHAPES ]]; then
  cat <<EOF

## The bridge through the hub

EchoBridge.Bench's hub mode (the .NET SignalR client over WebSockets: Open, a Receive stream, then per message Send and
its echo read back from the stream) against EchoBridge's \`echo\` target, and against bench/ceiling/SignalRCeiling.cs:
the same hub contract with no socket behind it. Variants: the json or messagepack hub protocol; -nowait sends with
SignalR's fire-and-forget SendAsync (no completion message back per send); -xK has K sessions share one hub
connection, as the consoles of one dashboard tab do (without it each session has a connection of its own). "× refecho"
divides by refecho's TCP msgs/s for the same shape in this run.

| shape | variant | EchoBridge msgs/s | × refecho | p50 µs | p99 µs | server CPU | ceiling msgs/s | × refecho | ceiling CPU |
|---|---|---:|---:|---:|---:|---:|---:|---:|---:|
EOF
  for shape in $HUB_SHAPES; do
    ref=$(median refecho "$shape" 1)
    for variant in $HUB_VARIANTS; do
      eb=hub-echobridge-$variant ceil=hub-ceiling-$variant
      echo "| $(label "$shape") | $variant | $(fmt "$(median "$eb" "$shape" 1)" 0) | $(ratio "$(median "$eb" "$shape" 1)" "$ref")" \
        "| $(fmt "$(median "$eb" "$shape" 3)" 0) | $(fmt "$(median "$eb" "$shape" 4)" 0) | $(fmt "$(median "$eb" "$shape" 5)" 0)%" \
        "| $(fmt "$(median "$ceil" "$shape" 1)" 0) | $(ratio "$(median "$ceil" "$shape" 1)" "$ref") | $(fmt "$(median "$ceil" "$shape" 5)" 0)% |"
    done
  done
fi

cat <<EOF

Server CPU is the share of one core the server used while measured. With 50 or 200 connections a server should be near
100%: well below that, it was starved by other work on the machine or waiting on the load generator, and the ratio
tells more about scheduling than about the server.
EOF
