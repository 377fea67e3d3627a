#!/usr/bin/env bash
# Upgrade without loss: install the addons as they were at the commit named
# in BASE_COMMIT (the version before follow-up cases became a model), with
# their demo data (a year of answers, follow-ups done and open, activities),
# take a snapshot of every follow-up, activity and figure, upgrade the
# database with this checkout's addons (-u), and check that all of it is
# still there and that every customer's health history has started
# (snapshot.py). Fails on a difference or on any WARNING/ERROR in
# the upgrade's log.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$HERE/../.."
# shellcheck source=../../setup/env.sh
source setup/env.sh
BASE="$(cat "$HERE/BASE_COMMIT")"
if ! git cat-file -e "$BASE^{commit}" 2>/dev/null; then
    echo "[upgrade] commit $BASE is not in this clone (a shallow clone?)" >&2
    exit 1
fi
SRC="$(cat "$NPS_HOME/odoo_src")"
WORK="$(mktemp -d -t nps-upgrade-XXXXXX)"
DB="nps_upgrade_$$"
cleanup() {
    dropdb --if-exists "$DB" >/dev/null 2>&1 || true
    rm -rf "$WORK"
}
trap cleanup EXIT
ADDONS="$(nps_addons)"
mkdir -p "$WORK/old"
# shellcheck disable=SC2086
git archive "$BASE" ${ADDONS//,/ } | tar -x -C "$WORK/old"

run_odoo() {
    local addons_path="$1"
    shift
    "$PYTHON" "$SRC/odoo-bin" --addons-path="$SRC/addons,$addons_path" \
        --db_host="$PGHOST" --db_port="$PGPORT" --http-interface=127.0.0.1 \
        --workers=0 --max-cron-threads=0 --log-level=info \
        --email-from="odoo-tests@example.com" --smtp=127.0.0.1 --smtp-port=2 \
        "$@"
}
shell() {
    local addons_path="$1" phase="$2"
    NPS_UPGRADE_PHASE="$phase" NPS_UPGRADE_DIR="$WORK" \
        "$PYTHON" "$SRC/odoo-bin" shell --addons-path="$SRC/addons,$addons_path" \
        --db_host="$PGHOST" --db_port="$PGPORT" -d "$DB" --no-http \
        --log-level=warn < "$HERE/snapshot.py" > "$WORK/$phase.out" 2>&1 || true
    if [ ! -f "$WORK/$phase.ok" ]; then
        echo "[upgrade] $phase failed:" >&2
        cat "$WORK/$phase.out" >&2
        return 1
    fi
    grep "^\[upgrade\]" "$WORK/$phase.out" || true
}

echo "[upgrade] installing $ADDONS as of ${BASE:0:12}, with demo data"
run_odoo "$WORK/old" -d "$DB" -i "$ADDONS" --with-demo --stop-after-init \
    > "$WORK/install.log" 2>&1 \
    || { tail -50 "$WORK/install.log"; exit 1; }
shell "$WORK/old" before
echo "[upgrade] upgrading to this checkout (-u $ADDONS)"
status=0
run_odoo "$REPO" -d "$DB" -u "$ADDONS" --stop-after-init > "$WORK/upgrade.log" 2>&1 \
    || status=$?
"$PYTHON" setup/checklog.py "$WORK/upgrade.log" --no-tests --exit-status "$status"
grep -h "Migrated\|Kept" "$WORK/upgrade.log" | sed 's/^.*: /[upgrade] /' || true
shell "$REPO" after
