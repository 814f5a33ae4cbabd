#!/usr/bin/env bash
# Backup of the ИМЦ portal: the database and the media folder (rendered and signed PDFs, XLSX),
# into a new timestamped folder under BACKUP_DIR (default ./var/backups):
#
#   <BACKUP_DIR>/<YYYYmmddTHHMMSSZ>/db.dump        PostgreSQL, custom format (pg_dump -Fc)
#                                   db.sqlite3     instead, for the embedded SQLite default
#                                   media.tar.gz   the whole MEDIA_ROOT
#                                   SHA256SUMS     checked by scripts/restore.sh
#
#   scripts/backup.sh               a plain server: DATABASE_URL / MEDIA_ROOT as the portal reads them
#   COMPOSE=1 scripts/backup.sh     the docker compose deployment (pg_dump inside the postgres
#                                   container, the media volume read through the web image)
#   BACKUP_KEEP_DAYS=14             also delete this script's backups older than 14 days
#
# The folder appears under its final name only when everything in it is complete.
# Not included (keep them elsewhere): .env with SECRET_KEY and SIGNING_CREDENTIALS_KEY (without that
# key the signers' stored certificates cannot be opened) and the demo CA folder (var/certs).
source "$(dirname "${BASH_SOURCE[0]}")/_portal_env.sh"

BACKUP_DIR="${BACKUP_DIR:-$ROOT/var/backups}"
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
TARGET="$BACKUP_DIR/$STAMP"
PARTIAL="$BACKUP_DIR/.$STAMP.partial"

[[ -e "$TARGET" ]] && die "Резервная копия $TARGET уже существует."
mkdir -p "$PARTIAL"
trap 'rm -rf "$PARTIAL"' EXIT

if is_compose; then
  echo "docker compose: база $COMPOSE_DB (сервис postgres), медиафайлы (том media)"
  compose exec -T postgres pg_dump -Fc -U "$COMPOSE_DB_USER" -d "$COMPOSE_DB" > "$PARTIAL/db.dump"
  compose run --rm --no-deps -T --entrypoint tar web -C /app/media -czf - . > "$PARTIAL/media.tar.gz"
else
  load_portal_settings
  if [[ "$DB_ENGINE" == postgresql ]]; then
    echo "PostgreSQL: база $DB_NAME${DB_HOST:+ на $DB_HOST}; медиафайлы: $MEDIA_ROOT"
    mapfile -t args < <(pg_args)
    pg_dump -Fc --no-owner "${args[@]}" --file="$PARTIAL/db.dump"
  else
    echo "SQLite: файл $DB_NAME (копия через sqlite3 backup); медиафайлы: $MEDIA_ROOT"
    [[ -f "$DB_NAME" ]] || die "Файл базы $DB_NAME не найден."
    sqlite_copy "$DB_NAME" "$PARTIAL/db.sqlite3"
  fi
  if [[ -d "$MEDIA_ROOT" ]]; then
    tar -C "$MEDIA_ROOT" -czf "$PARTIAL/media.tar.gz" .
  else
    tar -czf "$PARTIAL/media.tar.gz" -T /dev/null  # no media yet: an empty archive
  fi
fi

(cd "$PARTIAL" && sha256sum db.* media.tar.gz > SHA256SUMS)
mv "$PARTIAL" "$TARGET"
trap - EXIT
echo "Резервная копия: $TARGET ($(du -sh "$TARGET" | cut -f1))"

if [[ -n "${BACKUP_KEEP_DAYS:-}" ]]; then
  [[ "$BACKUP_KEEP_DAYS" =~ ^[0-9]+$ ]] || die "BACKUP_KEEP_DAYS должно быть числом дней."
  # Only folders this script named (20260101T000000Z); the newest one is never deleted.
  find "$BACKUP_DIR" -mindepth 1 -maxdepth 1 -type d -name '20[0-9][0-9][01][0-9][0-3][0-9]T[0-9][0-9][0-9][0-9][0-9][0-9]Z' \
    -mtime +"$BACKUP_KEEP_DAYS" ! -path "$TARGET" -print -exec rm -rf {} +
fi
