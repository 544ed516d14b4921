#!/usr/bin/env bash
# Builds what the benchmark suite runs, then runs it: `EchoBridge.Bench suite` (src/EchoBridge.Bench/Suite) starts the
# servers pinned to CPU 0 on free loopback ports, loads them from CPU 1, and writes a Markdown report, a JSON file of
# every run and SVG charts into bench/results/DATE-COMMIT/ (or --output DIR). Every option goes to the suite:
#   bench/run.sh --help                    the suite's options
#   bench/run.sh                           3 rounds, 10 s per run after 2 s warmup (about 20 minutes)
#   bench/run.sh --rounds 1 --duration 3   a quick look
#   bench/run.sh --load echoload           refecho and EchoBridge TCP loaded by the C echoload, to cross-check
# Built here: EchoBridge (published, Release), the bench, bench/ceiling/SignalRCeiling.cs, and refecho and echoload
# from shared/bench with cc -O2. SHARED_DIR overrides where shared/ is (default: beside the repository, or beside the
# main checkout when this is a git worktree); BUILD_DIR where the builds go (default: bench/.build, ignored by git).
set -euo pipefail

fail() { echo "run.sh: $*" >&2; exit 1; }
for tool in cc dotnet taskset git; do
  command -v "$tool" >/dev/null || fail "needs $tool on PATH"
done

repo=$(git -C "$(dirname "${BASH_SOURCE[0]}")" rev-parse --show-toplevel)
main=$(dirname "$(git -C "$repo" rev-parse --path-format=absolute --git-common-dir)")
shared=${SHARED_DIR:-$repo/../shared}
[[ -f $shared/bench/refecho.c ]] || shared=$main/../shared
[[ -f $shared/bench/refecho.c ]] || fail "no shared/bench/refecho.c beside $repo or $main (set SHARED_DIR to the folder holding bench/)"
build=${BUILD_DIR:-$repo/bench/.build}
mkdir -p "$build"

echo "run.sh: building refecho, echoload, EchoBridge, the bench and the SignalR ceiling in $build" >&2
cc -O2 -o "$build/refecho" "$shared/bench/refecho.c"
cc -O2 -o "$build/echoload" "$shared/bench/echoload.c"
publish() { # publish NAME PROJECT [ARGS]: Release, into $build/NAME, its log shown only if it fails
  dotnet publish "$2" -c Release -o "$build/$1" --nologo "${@:3}" >"$build/$1.log" 2>&1 || { cat "$build/$1.log" >&2; fail "publishing $1 failed"; }
}
# For this machine's architecture, as the Dockerfile publishes (-a): ReadyToRun, as shipped. (--use-current-runtime
# would hand the runtime to the WebAssembly client too, which has none for linux.)
publish EchoBridge "$repo/src/EchoBridge" -a "$(uname -m | sed 's/x86_64/x64/; s/aarch64/arm64/')"
publish EchoBridge.Bench "$repo/src/EchoBridge.Bench"
publish ceiling "$repo/bench/ceiling/SignalRCeiling.cs"

cd "$repo"
exec "$build/EchoBridge.Bench/EchoBridge.Bench" suite \
  --echobridge "$build/EchoBridge/EchoBridge" --ceiling "$build/ceiling/SignalRCeiling" \
  --refecho "$build/refecho" --echoload "$build/echoload" --bench "$build/EchoBridge.Bench/EchoBridge.Bench" "$@"
