# Shared by scripts/backup.sh and scripts/restore.sh (sourced, not run).
#
# The database and the media folder are read from the portal's own settings (DATABASE_URL,
# MEDIA_ROOT, .env, the embedded SQLite default), so a backup takes exactly what the portal uses.
# COMPOSE=1 switches to the docker compose deployment (services postgres and web).

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [[ -z "${PYTHON:-}" ]]; then
  if [[ -x "$ROOT/.venv/bin/python" ]]; then PYTHON="$ROOT/.venv/bin/python"; else PYTHON=python3; fi
fi
COMPOSE="${COMPOSE:-0}"
# The compose file's database and user (docker-compose.yml, service postgres).
COMPOSE_DB="${COMPOSE_DB:-imc_portal}"
COMPOSE_DB_USER="${COMPOSE_DB_USER:-imc}"

die() { echo "$*" >&2; exit 1; }

is_compose() { [[ "$COMPOSE" == 1 || "$COMPOSE" == true || "$COMPOSE" == yes ]]; }

compose() { (cd "$ROOT" && docker compose "$@"); }

# Sets DB_ENGINE (postgresql | sqlite3), DB_NAME, DB_HOST, DB_PORT, DB_USER, PGPASSWORD, MEDIA_ROOT
# from the Django settings of a plain server.
load_portal_settings() {
  local lines
  lines="$(cd "$ROOT" && DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-imc_portal.settings}" "$PYTHON" - <<'PY'
import shlex

import django
from django.conf import settings

django.setup()
db = settings.DATABASES["default"]
values = {
    "DB_ENGINE": db["ENGINE"].rsplit(".", 1)[-1],
    "DB_NAME": str(db["NAME"]),
    "DB_HOST": db.get("HOST") or "",
    "DB_PORT": str(db.get("PORT") or ""),
    "DB_USER": db.get("USER") or "",
    "PGPASSWORD": db.get("PASSWORD") or "",
    "MEDIA_ROOT": str(settings.MEDIA_ROOT),
}
for key, value in values.items():
    print(f"{key}={shlex.quote(value)}")
PY
)" || die "Не удалось прочитать настройки портала (DATABASE_URL, MEDIA_ROOT)."
  eval "$lines"
  export PGPASSWORD
  case "$DB_ENGINE" in
    postgresql|sqlite3) ;;
    *) die "Резервное копирование поддерживает PostgreSQL и SQLite, а не ${DB_ENGINE}." ;;
  esac
}

# libpq connection options of the plain server's database.
pg_args() {
  local args=(--dbname="$DB_NAME")
  [[ -n "$DB_HOST" ]] && args+=(--host="$DB_HOST")
  [[ -n "$DB_PORT" ]] && args+=(--port="$DB_PORT")
  [[ -n "$DB_USER" ]] && args+=(--username="$DB_USER")
  printf '%s\n' "${args[@]}"
}

# SQLite's online backup API (consistent even while the portal writes): sqlite_copy SRC DST.
sqlite_copy() {
  "$PYTHON" - "$1" "$2" <<'PY'
import sqlite3
import sys

source, target = sqlite3.connect(sys.argv[1]), sqlite3.connect(sys.argv[2])
with target:
    source.backup(target)
source.close()
target.close()
PY
}
