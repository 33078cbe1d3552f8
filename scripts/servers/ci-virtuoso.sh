#!/usr/bin/env bash
# Origin: ../shared/recipes/ci-virtuoso.sh (team recipe), copied into kg; started by tests/servers.py.
# kg change: BUFFERS (NumberOfBuffers, default 170000 ~ 1.3 GB) can be lowered for small test instances.
# Virtuoso Open Source 7.2 (Debian package virtuoso-opensource) for CI, loopback only.
#   ci-virtuoso.sh start WORKDIR [DATA.nt|DATA.ttl [GRAPH]]  -> own DB in WORKDIR, starts, bulk-loads DATA, writes WORKDIR/virtuoso.pid
#   ci-virtuoso.sh stop  WORKDIR                              -> SIGTERM to that PID, waits for exit
# Env: HTTP_PORT (8890), SQL_PORT (1111). Endpoints: http://127.0.0.1:$HTTP_PORT/sparql (query+update),
#      GSP http://127.0.0.1:$HTTP_PORT/sparql-graph-crud?graph-uri=...   isql: isql-vt 127.0.0.1:$SQL_PORT dba dba
# WARNING: grants SPARQL_UPDATE to the anonymous SPARQL user and keeps dba/dba: test instances on 127.0.0.1 only.
set -euo pipefail
cmd=${1:?start|stop}; WORK=${2:?WORKDIR}; DATA=${3:-}; GRAPH=${4:-http://example.org/g/data}
HTTP_PORT=${HTTP_PORT:-8890}; SQL_PORT=${SQL_PORT:-1111}; BUFFERS=${BUFFERS:-170000}
ms() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }
case "$cmd" in
start)
  mkdir -p "$WORK/db" "$WORK/import"; WORK=$(cd "$WORK" && pwd)   # Virtuoso needs absolute paths
  sed -e "s#/var/lib/virtuoso-opensource-7/db#$WORK/db#g" \
      -e "s#^ServerPort[[:space:]]*= 1111#ServerPort = 127.0.0.1:$SQL_PORT#" \
      -e "s#^ServerPort[[:space:]]*= 8890#ServerPort = 127.0.0.1:$HTTP_PORT#" \
      -e "s#^DirsAllowed.*#DirsAllowed = ., /usr/share/virtuoso-opensource-7/vad, $WORK/import#" \
      -e "s#^NumberOfBuffers.*#NumberOfBuffers = $BUFFERS#;s#^MaxDirtyBuffers.*#MaxDirtyBuffers = $(( BUFFERS * 3 / 4 ))#" \
      -e "s#^ResultSetMaxRows.*#ResultSetMaxRows = 1000000#" \
      /usr/share/virtuoso-opensource-7/virtuoso.ini > "$WORK/db/virtuoso.ini"
  t=$(date +%s%N)
  virtuoso-t +foreground +configfile "$WORK/db/virtuoso.ini" >"$WORK/server.log" 2>&1 &
  echo $! > "$WORK/virtuoso.pid"; pid=$(cat "$WORK/virtuoso.pid"); up=
  for _ in $(seq 1 600); do
    curl -sf -o /dev/null "http://127.0.0.1:$HTTP_PORT/sparql?query=ASK%7B%7D" && { up=1; break; }
    kill -0 "$pid" 2>/dev/null || break; sleep 0.1
  done
  [ -n "$up" ] || { cat "$WORK/server.log"; echo "virtuoso: failed to start" >&2; exit 1; }
  echo "virtuoso: ready in $(ms $t) ms, pid $pid"
  ISQL="isql-vt 127.0.0.1:$SQL_PORT dba dba"
  $ISQL exec='GRANT SPARQL_UPDATE TO "SPARQL";' >/dev/null 2>&1 || true   # errors harmlessly if already granted
  if [ -n "$DATA" ]; then
    cp "$DATA" "$WORK/import/"; t=$(date +%s%N)
    $ISQL exec="ld_dir('$WORK/import', '$(basename "$DATA")', '$GRAPH'); rdf_loader_run(); checkpoint;" >"$WORK/load.log"
    errs=$($ISQL exec="SELECT ll_file, ll_error FROM DB.DBA.load_list WHERE ll_error IS NOT NULL;")
    echo "$errs" | grep -q '^0 Rows\.' || { echo "$errs"; echo "virtuoso: load errors" >&2; exit 1; }
    echo "virtuoso: loaded $DATA into <$GRAPH> in $(ms $t) ms"
  fi ;;
stop)
  pid=$(cat "$WORK/virtuoso.pid"); kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 600); do kill -0 "$pid" 2>/dev/null || { echo "virtuoso: stopped"; exit 0; }; sleep 0.05; done
  kill -9 "$pid" 2>/dev/null || true; echo "virtuoso: killed" ;;
esac
