#!/usr/bin/env bash
# Runs the OFFICIAL fal clients (@fal-ai/client for JS, fal-client for Python) against
# `clipbench simulate`, to check the simulator is faithful enough for them to work unchanged
# apart from the host.
#
# Usage: tests/official_clients/run.sh [path/to/clipbench]
#   Without an argument the release binary is built with cargo first.
# Needs: node >= 18 with npm, python3 (3.9+) with venv/pip; the npm registry and PyPI reachable
# on the first run (later runs reuse node_modules/ and the venv when the pins are unchanged).
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
cd "$ROOT"

TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
if [[ $# -ge 1 && -n "$1" ]]; then
    BIN="$1"
else
    echo "== cargo build --release"
    cargo build --release --quiet
    BIN="$TARGET_DIR/release/clipbench"
fi
[[ -x "$BIN" ]] || { echo "clipbench binary not found: $BIN" >&2; exit 2; }

# --- dependencies (local folders only, both gitignored) ------------------------------------
echo "== JS deps (npm ci)"
NODE_STAMP="$HERE/node_modules/.clipbench-package-lock.json"
if ! cmp -s "$HERE/package-lock.json" "$NODE_STAMP" 2>/dev/null; then
    npm ci --prefix "$HERE" --no-audit --no-fund --loglevel=error
    cp "$HERE/package-lock.json" "$NODE_STAMP"
fi

echo "== Python deps (venv)"
VENV="$TARGET_DIR/official-clients-venv"
PY="$(command -v python3.11 || command -v python3)"
STAMP="$VENV/.requirements.txt"
if ! cmp -s "$HERE/requirements.txt" "$STAMP" 2>/dev/null; then
    rm -rf "$VENV"
    "$PY" -m venv "$VENV"
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r "$HERE/requirements.txt"
    cp "$HERE/requirements.txt" "$STAMP"
fi

# --- simulator -----------------------------------------------------------------------------
SIM_LOG="$(mktemp)"
OUT="$(mktemp)"
SIM_PID=""
cleanup() {
    if [[ -n "$SIM_PID" ]] && kill -0 "$SIM_PID" 2>/dev/null; then
        kill "$SIM_PID" 2>/dev/null || true
        wait "$SIM_PID" 2>/dev/null || true
    fi
    rm -f "$SIM_LOG" "$OUT"
}
trap cleanup EXIT

"$BIN" simulate --port 0 --speed 50 >"$SIM_LOG" 2>&1 &
SIM_PID=$!
BASE=""
for _ in $(seq 1 100); do
    BASE="$(grep -m1 -o 'http://[0-9.:]*' "$SIM_LOG" || true)"
    [[ -n "$BASE" ]] && break
    kill -0 "$SIM_PID" 2>/dev/null || break
    sleep 0.1
done
if [[ -z "$BASE" ]]; then
    echo "simulator did not start:" >&2
    cat "$SIM_LOG" >&2
    exit 1
fi
echo "== simulator at $BASE (pid $SIM_PID)"

# --- the clients ---------------------------------------------------------------------------
status=0
echo "== @fal-ai/client $(node -p "require('$HERE/node_modules/@fal-ai/client/package.json').version")"
(cd "$HERE" && node fal_js.mjs "$BASE") | tee -a "$OUT" || status=1
echo "== fal-client (python) $("$VENV/bin/python" -c 'import importlib.metadata as m; print(m.version("fal-client"))')"
"$VENV/bin/python" -u "$HERE/fal_py.py" "$BASE" | tee -a "$OUT" || status=1

# One closing line for both: the sum of each script's "<lang>: N passed, M failed".
read -r passed failed < <(awk '/^[a-z]+: [0-9]+ passed, [0-9]+ failed$/ { p += $2; f += $4 }
    END { print p + 0, f + 0 }' "$OUT")
if [[ $status -ne 0 && $failed -eq 0 ]]; then
    failed=1 # a script died before counting
fi
echo "official-clients: $passed passed, $failed failed"
exit $status
