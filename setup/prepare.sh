#!/usr/bin/env bash
# Prepare a Debian/Ubuntu machine for the NPS suite: PostgreSQL, a virtual
# environment with Odoo 19.0, OCA helpdesk_mgmt and the addons' Python
# dependencies, and Chromium for browser tests.
#
# Idempotent: a second run checks, finds everything in place and returns fast.
#
# Environment:
#   ODOO_SRC     an Odoo 19.0 source tree (the folder holding odoo-bin);
#                remembered for later runs. Without it, a tree prepared by an
#                earlier run is reused, or Odoo's official 19.0 branch is
#                cloned (needs network).
#   NPS_HOME     where the venv and the Odoo tree live
#                (default: ${XDG_DATA_HOME:-$HOME/.local/share}/nps-suite)
#   NPS_PYTHON   the Python interpreter for the venv (default: python3)
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
NPS_HOME="${NPS_HOME:-${XDG_DATA_HOME:-$HOME/.local/share}/nps-suite}"
VENV="$NPS_HOME/venv"
mkdir -p "$NPS_HOME"

say() { printf '[setup] %s\n' "$*" >&2; }

SUDO=""
if [ "$(id -u)" != 0 ]; then
    if command -v sudo >/dev/null; then SUDO="sudo"; fi
fi

apt_install() {
    # Install the Debian packages given that are not installed yet.
    local missing=()
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" \
            || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    if ! command -v apt-get >/dev/null; then
        say "missing packages ${missing[*]} and no apt-get: install them by hand"
        return 1
    fi
    say "installing Debian packages: ${missing[*]}"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# --- System packages --------------------------------------------------------
apt_install postgresql postgresql-client git python3-venv fonts-dejavu-core
# a Chromium or Chrome for the browser tests (Odoo finds either)
command -v chromium >/dev/null || command -v google-chrome >/dev/null \
    || command -v chromium-browser >/dev/null || apt_install chromium
command -v npm >/dev/null || apt_install nodejs npm

# --- PostgreSQL: start it when stopped, make sure our role exists -----------
if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null && ! pg_isready -q 2>/dev/null; then
    say "starting PostgreSQL"
    if command -v pg_ctlcluster >/dev/null; then
        for version in $(ls /etc/postgresql 2>/dev/null); do
            $SUDO pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
        done
    else
        $SUDO service postgresql start || true
    fi
    for _ in $(seq 1 30); do pg_isready -q 2>/dev/null && break; sleep 1; done
    pg_isready -q || { say "PostgreSQL does not answer"; exit 1; }
fi
DB_USER="${PGUSER:-$(id -un)}"
if ! psql -d postgres -Atc "select 1" >/dev/null 2>&1; then
    say "creating PostgreSQL role $DB_USER"
    $SUDO -u postgres createuser --superuser "$DB_USER" 2>/dev/null \
        || su postgres -c "createuser --superuser $DB_USER"
fi

# --- Odoo source tree --------------------------------------------------------
if [ -n "${ODOO_SRC:-}" ]; then
    ODOO_SRC="$(cd "$ODOO_SRC" && pwd)"
    echo "$ODOO_SRC" > "$NPS_HOME/odoo_src"
elif [ -f "$NPS_HOME/odoo_src" ]; then
    ODOO_SRC="$(cat "$NPS_HOME/odoo_src")"
else
    ODOO_SRC="$NPS_HOME/odoo"
    if [ ! -f "$ODOO_SRC/odoo-bin" ]; then
        say "cloning Odoo 19.0 (set ODOO_SRC to use a local tree instead)"
        git clone --quiet --depth 1 --branch 19.0 https://github.com/odoo/odoo.git "$ODOO_SRC"
    fi
    echo "$ODOO_SRC" > "$NPS_HOME/odoo_src"
fi
[ -f "$ODOO_SRC/odoo-bin" ] || { say "no odoo-bin in $ODOO_SRC"; exit 1; }
grep -q "version_info = (19, 0" "$ODOO_SRC/odoo/release.py" \
    || { say "$ODOO_SRC is not Odoo 19.0"; exit 1; }

# A manifest naming a file that is not on disk stops every install. Some 19.0
# snapshots name views/res_config_settings_views.xml where the file is
# views/res_config_settings.xml: bridge that with a link, nothing else.
for manifest in "$ODOO_SRC"/addons/*/__manifest__.py; do
    grep -q "views/res_config_settings_views.xml" "$manifest" || continue
    views="$(dirname "$manifest")/views"
    if [ ! -e "$views/res_config_settings_views.xml" ] && [ -e "$views/res_config_settings.xml" ]; then
        say "bridging $(basename "$(dirname "$manifest")")/views/res_config_settings_views.xml"
        ln -s res_config_settings.xml "$views/res_config_settings_views.xml"
    fi
done

# --- Virtual environment -----------------------------------------------------
PY="${NPS_PYTHON:-python3}"
if [ ! -x "$VENV/bin/python" ]; then
    say "creating the virtual environment"
    "$PY" -m venv "$VENV"
    "$VENV/bin/pip" install -q --upgrade pip wheel "setuptools<81"
fi

# Requirements: Odoo's own, with psycopg2 taken as its binary wheel (no
# compiler or libpq-dev needed) and python-ldap left out (auth_ldap only).
REQ="$NPS_HOME/requirements-odoo.txt"
sed -e 's/^psycopg2==/psycopg2-binary==/' -e '/^python-ldap/d' \
    "$ODOO_SRC/requirements.txt" > "$REQ"
STAMP="$NPS_HOME/.installed"
WANT="$(cat "$REQ" "$REPO"/setup/requirements*.txt | sha1sum | cut -c1-40) $ODOO_SRC"
if [ "$(cat "$STAMP" 2>/dev/null)" != "$WANT" ]; then
    say "installing Python packages"
    "$VENV/bin/pip" install -q -r "$REQ"
    # Odoo itself, as an editable distribution named 'odoo' 19.0 (so OCA's
    # odoo-addon-* wheels see their dependency met), importing from ODOO_SRC.
    "$VENV/bin/pip" install -q --no-deps --no-build-isolation \
        --config-settings editable_mode=compat -e "$ODOO_SRC"
    # Our own requirements, held to the versions Odoo pins (-c).
    "$VENV/bin/pip" install -q -c "$REQ" -r "$REPO/setup/requirements.txt"
    # OCA addons: their one dependency, odoo 19.0, is the tree above; --no-deps
    # keeps pip from pulling Odoo's unpinned install_requires (psycopg2 from
    # source) through it.
    "$VENV/bin/pip" install -q --no-deps -r "$REPO/setup/requirements-oca.txt"
    echo "$WANT" > "$STAMP"
fi
# Prettier and its XML plugin (lint), from the npm registry, into NPS_HOME.
NODE_DIR="$NPS_HOME/node"
NODE_WANT="prettier@3.6.2 @prettier/plugin-xml@3.4.2"
if [ "$(cat "$NODE_DIR/.installed" 2>/dev/null)" != "$NODE_WANT" ]; then
    say "installing $NODE_WANT"
    mkdir -p "$NODE_DIR"
    # shellcheck disable=SC2086
    npm install --silent --no-audit --no-fund --prefix "$NODE_DIR" $NODE_WANT >/dev/null
    echo "$NODE_WANT" > "$NODE_DIR/.installed"
fi

say "ready: venv $VENV, Odoo $ODOO_SRC"
