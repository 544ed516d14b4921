#!/usr/bin/env bash
# Runs every test of EchoBridge: unit, integration (real Kestrel, real sockets, real SignalR client) and browser tests.
# On a fresh Debian machine it first installs what the tests need and the machine lacks (Chromium for the browser
# tests, tshark for the capture export tests, redis-server for the cluster tests, haproxy for the scale-out topology
# test, python3 for the lab's lesson programs; through apt-get as root, else sudo). Prints one closing line:
# "Tests: N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")"

# apt_install COMMAND PACKAGE WHY: installs Debian's PACKAGE (quietly, as root or through sudo) unless COMMAND is there.
apt_install() {
  command -v "$1" >/dev/null 2>&1 && return 0
  echo "test.sh: installing Debian's $2 for $3"
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  # wireshark-common asks whether non-root users may capture; the preseeded answer (no) keeps the install quiet.
  [ "$2" = tshark ] && echo "wireshark-common wireshark-common/install-setuid boolean false" | $sudo debconf-set-selections
  [ -n "${apt_updated:-}" ] || { $sudo apt-get update -qq; apt_updated=1; }
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$2" >/dev/null
}

# The third-party WebSocket clients the bridge's /websockify is tested with (Node's ws, noVNC's Websock), pinned in
# tests/clients/package.json and its lock file, installed into tests/clients/node_modules (ignored by git).
ensure_node_clients() {
  [ -f tests/clients/package-lock.json ] || return 0
  [ -d tests/clients/node_modules/ws ] && [ -d tests/clients/node_modules/@novnc/novnc ] && return 0
  echo "test.sh: installing the WebSocket test clients (npm ci in tests/clients)"
  (cd tests/clients && npm ci --no-audit --no-fund --silent)
}

apt_install chromium chromium "the browser tests"
apt_install tshark tshark "the capture export tests (tshark, capinfos)"
# The cluster tests start their own redis-server on a free loopback port (no persistence); the system's service is
# never used, started or stopped.
apt_install redis-server redis-server "the cluster tests"
# The topology test runs the repository's haproxy.cfg in front of three instances (a child process, loopback only).
# Debian puts it in /usr/sbin, which a user's PATH may lack: asked for by its path, so it is not installed again.
apt_install /usr/sbin/haproxy haproxy "the scale-out topology test"
apt_install python3 python3 "the lab's lesson program tests"
ensure_node_clients

log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
# One test assembly at a time (-m:1): the browser tests load both cores (Chromium, the WebAssembly runtime, a flood),
# and timing-bound tests in another assembly running beside them would fail for the wrong reason.
dotnet test EchoBridge.sln -c Release -m:1 2>&1 | tee "$log" || status=$?

# dotnet test prints one summary per test assembly ("Passed!  - Failed: 0, Passed: 69, ..."); add them up.
sum() { grep -oE "$1: +[0-9]+" "$log" | awk '{ n += $2 } END { print n + 0 }'; }
passed=$(sum Passed)
failed=$(sum Failed)
# The browser tests leave a screenshot of the dashboard as an artifact (docs/dashboard.png is one such).
shot=tests/EchoBridge.BrowserTests/bin/Release/net10.0/artifacts/dashboard.png
[ -f "$shot" ] && echo "Dashboard screenshot: $shot"
echo "Tests: $passed passed, $failed failed"
if [ "$status" -eq 0 ] && [ "$passed" -eq 0 ]; then
  echo "test.sh: no test ran" >&2
  exit 1
fi
exit "$status"
