# Shared settings of the suite's scripts; sourced, not run.
# shellcheck shell=bash
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
NPS_HOME="${NPS_HOME:-${XDG_DATA_HOME:-$HOME/.local/share}/nps-suite}"
VENV="$NPS_HOME/venv"
PYTHON="$VENV/bin/python"
export PGHOST="${PGHOST:-127.0.0.1}"
export PGPORT="${PGPORT:-5432}"

# The suite's addons: every folder of the repository holding a manifest.
nps_addons() {
    local names=()
    for manifest in "$REPO"/*/__manifest__.py; do
        names+=("$(basename "$(dirname "$manifest")")")
    done
    (IFS=,; echo "${names[*]}")
}

# odoo-bin of the prepared tree, with the suite's addons on the path.
odoo_bin() {
    local src
    src="$(cat "$NPS_HOME/odoo_src")"
    "$PYTHON" "$src/odoo-bin" \
        --addons-path="$src/addons,$REPO" \
        --db_host="$PGHOST" --db_port="$PGPORT" \
        --http-interface=127.0.0.1 \
        "$@"
}

# An odoo-bin subcommand (i18n, shell, ...) with the suite's addons on the
# path; the database server comes from PGHOST/PGPORT.
odoo_cmd() {
    local src
    src="$(cat "$NPS_HOME/odoo_src")"
    "$PYTHON" "$src/odoo-bin" --addons-path="$src/addons,$REPO" "$@"
}
