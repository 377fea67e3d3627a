#!/usr/bin/env bash
# Refresh every addon's i18n/<addon>.pot from a throw-away database and merge
# it into i18n/fr.po and i18n/de.po (new terms arrive untranslated: translate
# them before committing; the i18n test fails on any missing translation).
# The database has the demo data, so that the .pot carries the terms of the
# demo records too (the campaigns', the courses' names...), as Odoo's do.
set -euo pipefail
cd "$(dirname "$0")/.."
bash setup/prepare.sh
# shellcheck source=setup/env.sh
source setup/env.sh
DB="nps_i18n_$$"
trap 'dropdb --if-exists "$DB" >/dev/null 2>&1 || true' EXIT
ADDONS="$(nps_addons)"
odoo_bin -d "$DB" -i "$ADDONS" --with-demo --stop-after-init --log-level=warn
# shellcheck disable=SC2086
odoo_cmd i18n export -d "$DB" ${ADDONS//,/ }
for addon in ${ADDONS//,/ }; do
    "$PYTHON" setup/i18n_merge.py "$addon" fr de
done
