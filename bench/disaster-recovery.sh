#!/usr/bin/env bash
# Disaster recovery with 100,000 trainees: a brand-new project-local cluster with WAL archiving, 100,000 trainees (each
# with a degree and a placement) across 200 providers; then the times of a backup, of its restore into a new database,
# of a base backup, and of a point-in-time restore to just before a destructive change. Prints the numbers.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
wal="$work/wal"
mkdir -p "$wal" && chmod 777 "$wal"
R() { host "$@" --Database:WalArchiveDirectory="$wal"; }

serve 5201 --Database:WalArchiveDirectory="$wal"
echo "== 100,000 trainees across 200 providers"
sql -v cycle="$cycle" -f bench/sql/trainees.sql
echo "   $(sql -c 'SELECT count(*) FROM trainees.trainees') trainees, database $(sql -c "SELECT pg_size_pretty(pg_database_size('register'))")"

start=$(date +%s.%N)
R backup --out "$work/register.dump" | tail -1
echo "   backup: $(seconds "$start") s, $(stat -c %s "$work/register.dump") bytes"

start=$(date +%s.%N)
R restore --from "$work/register.dump" --database register_restored | tail -1
echo "   restore into a new database (checksum and row counts checked): $(seconds "$start") s"

start=$(date +%s.%N)
R base-backup --out "$work/base" >/dev/null
echo "   base backup: $(seconds "$start") s"

# After the base backup: more work, then the destructive change a moment after the target time.
sql -c "UPDATE trainees.trainees SET middle_names = 'Kept' WHERE provider_id = '00000000-0000-0000-0000-000000000007'"
sleep 1.5
target=$(date -u +%Y-%m-%dT%H:%M:%S.%NZ)
sleep 1.5
sql -c "UPDATE trainees.trainees SET last_name = 'CORRUPTED'"
segment=$(sql -c "SELECT pg_walfile_name(pg_switch_wal())")
until [ -f "$wal/$segment" ]; do sleep 0.2; done

start=$(date +%s.%N)
R restore-to-time --base "$work/base" --wal "$wal" --time "$target" --cluster "$work/pitr" | tail -1
echo "   point-in-time restore to $target: $(seconds "$start") s"

SERVE_CLUSTER="$work/pitr" serve 5202
echo "   on the restored cluster: $(SQL_CLUSTER="$work/pitr" sql -c "SELECT count(*) FILTER (WHERE last_name = 'CORRUPTED') || ' corrupted, ' || count(*) FILTER (WHERE middle_names = 'Kept') || ' with the change made before the target, of ' || count(*) FROM trainees.trainees")"
