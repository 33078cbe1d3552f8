#!/usr/bin/env bash
# Origin: ../shared/recipes/ci-oxigraph.sh (team recipe), copied into kg; started by tests/servers.py.
# Oxigraph SPARQL server (PyPI package `oxigraph`) for CI, loopback only.
#   ci-oxigraph.sh start WORKDIR [DATA.nt|DATA.ttl]   -> bulk-loads DATA (optional), starts server, writes WORKDIR/oxigraph.pid
#   ci-oxigraph.sh stop  WORKDIR                      -> SIGTERM to that PID, waits for exit
# Env: OXIGRAPH (binary, default: oxigraph on PATH, e.g. from `pip install oxigraph` in the venv), PORT (7878)
# Endpoints: query http://127.0.0.1:$PORT/query  update http://127.0.0.1:$PORT/update  GSP http://127.0.0.1:$PORT/store
set -euo pipefail
cmd=${1:?start|stop}; WORK=${2:?WORKDIR}; DATA=${3:-}
OXI=${OXIGRAPH:-oxigraph}; PORT=${PORT:-7878}
ms() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }
case "$cmd" in
start)
  mkdir -p "$WORK"
  if [ -n "$DATA" ]; then   # offline bulk load; must not run while a server holds the same --location (RocksDB LOCK)
    t=$(date +%s%N); "$OXI" load --location "$WORK/db" --file "$DATA" >"$WORK/load.log" 2>&1
    echo "oxigraph: loaded $DATA in $(ms $t) ms"
  fi
  t=$(date +%s%N)
  "$OXI" serve --location "$WORK/db" --bind "127.0.0.1:$PORT" >"$WORK/server.log" 2>&1 &
  echo $! > "$WORK/oxigraph.pid"
  for _ in $(seq 1 300); do
    curl -sf -o /dev/null "http://127.0.0.1:$PORT/query?query=ASK%7B%7D" && { echo "oxigraph: ready in $(ms $t) ms, pid $(cat "$WORK/oxigraph.pid")"; exit 0; }
    kill -0 "$(cat "$WORK/oxigraph.pid")" 2>/dev/null || break; sleep 0.1
  done
  cat "$WORK/server.log"; echo "oxigraph: failed to start" >&2; exit 1 ;;
stop)
  pid=$(cat "$WORK/oxigraph.pid"); kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 200); do kill -0 "$pid" 2>/dev/null || { echo "oxigraph: stopped"; exit 0; }; sleep 0.05; done
  kill -9 "$pid" 2>/dev/null || true; echo "oxigraph: killed" ;;
esac
