#!/usr/bin/env bash
# Refresh the README's screenshots from the running demo (start ./run-demo
# first, in another terminal). Playwright lives in a virtual environment of
# its own, so its dependencies never touch Odoo's pinned ones; it drives
# Debian's Chromium, no browser is downloaded.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=setup/env.sh
source setup/env.sh
TOOLS="$NPS_HOME/tools-venv"
if [ ! -x "$TOOLS/bin/python" ]; then
    python3 -m venv "$TOOLS"
    "$TOOLS/bin/pip" install -q playwright psycopg2-binary
fi
NPS_HOME="$NPS_HOME" "$TOOLS/bin/python" setup/screenshots.py "$@"
