#!/usr/bin/env bash
# Restore a backup of scripts/backup.sh into the portal's database and media folder.
#
#   scripts/restore.sh [--yes] var/backups/20261202T030000Z
#       a plain server: into the database and MEDIA_ROOT the portal's settings name; to restore
#       elsewhere, set them for the run: DATABASE_URL=postgres://…/imc_restored MEDIA_ROOT=/srv/media
#       (a PostgreSQL target database must exist: createdb imc_restored)
#   COMPOSE=1 scripts/restore.sh [--yes] var/backups/…
#       the docker compose deployment: stops web, worker and beat, restores into the postgres
#       service's database and the media volume, starts them again
#
# The database is replaced in one transaction (pg_restore --clean --if-exists --no-owner
# --single-transaction): it is either the backup's or untouched. The media folder is emptied
# and filled from the archive. Without --yes the script asks first.
source "$(dirname "${BASH_SOURCE[0]}")/_portal_env.sh"

YES=0
if [[ "${1:-}" == --yes || "${1:-}" == -y ]]; then YES=1; shift; fi
FROM="${1:-}"
[[ -n "$FROM" ]] || die "Укажите папку резервной копии: scripts/restore.sh var/backups/<время>"
[[ -d "$FROM" ]] || die "Папка резервной копии $FROM не найдена."
FROM="$(cd "$FROM" && pwd)"
[[ -f "$FROM/SHA256SUMS" && -f "$FROM/media.tar.gz" ]] || die "В $FROM нет резервной копии (SHA256SUMS, media.tar.gz)."
(cd "$FROM" && sha256sum --quiet -c SHA256SUMS) || die "Резервная копия $FROM повреждена: контрольные суммы не совпадают."

confirm() {
  [[ "$YES" == 1 ]] && return 0
  [[ -t 0 ]] || die "Восстановление заменит данные; запустите с --yes, чтобы подтвердить."
  read -r -p "$1 Продолжить? [y/N] " answer
  [[ "$answer" == y || "$answer" == Y || "$answer" == д || "$answer" == Д ]] || die "Отменено."
}

if is_compose; then
  [[ -f "$FROM/db.dump" ]] || die "В $FROM нет дампа PostgreSQL (db.dump)."
  confirm "Будут заменены база $COMPOSE_DB и том media deployment'а docker compose."
  compose stop web worker beat
  compose exec -T postgres pg_restore --clean --if-exists --no-owner --single-transaction \
    -U "$COMPOSE_DB_USER" -d "$COMPOSE_DB" < "$FROM/db.dump"
  compose run --rm --no-deps -T --entrypoint sh web -c \
    'find /app/media -mindepth 1 -delete && tar -C /app/media -xzf -' < "$FROM/media.tar.gz"
  compose up -d web worker beat
else
  load_portal_settings
  if [[ "$DB_ENGINE" == postgresql ]]; then
    [[ -f "$FROM/db.dump" ]] || die "В $FROM нет дампа PostgreSQL (db.dump), а портал настроен на PostgreSQL."
    confirm "Будут заменены база $DB_NAME${DB_HOST:+ на $DB_HOST} и папка $MEDIA_ROOT."
    mapfile -t args < <(pg_args)
    pg_restore --clean --if-exists --no-owner --single-transaction "${args[@]}" "$FROM/db.dump"
  else
    [[ -f "$FROM/db.sqlite3" ]] || die "В $FROM нет файла SQLite (db.sqlite3), а портал настроен на SQLite."
    confirm "Будут заменены файл базы $DB_NAME и папка $MEDIA_ROOT."
    mkdir -p "$(dirname "$DB_NAME")"
    sqlite_copy "$FROM/db.sqlite3" "$DB_NAME"
  fi
  mkdir -p "$MEDIA_ROOT"
  find "$MEDIA_ROOT" -mindepth 1 -delete
  tar -C "$MEDIA_ROOT" -xzf "$FROM/media.tar.gz"
fi
echo "Восстановлено из $FROM."
