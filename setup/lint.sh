#!/usr/bin/env bash
# Lint the repository with pre-commit (local hooks only: ruff, ruff format,
# pylint-odoo's mandatory checks, prettier for XML, whitespace, merge
# conflicts, XML/YAML syntax, generated addon READMEs).
#   setup/lint.sh         check, fail on any problem
#   setup/lint.sh --fix   rewrite what the formatters can fix
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=setup/env.sh
source setup/env.sh
export PATH="$VENV/bin:$NPS_HOME/node/node_modules/.bin:$PATH"
export PRE_COMMIT_HOME="$NPS_HOME/pre-commit"
# prettier resolves its XML plugin from the working folder: link the
# node_modules that setup/prepare.sh filled (ignored by git)
ln -sfn "$NPS_HOME/node/node_modules" node_modules

if [ "${1:-}" = "--fix" ]; then
    ruff check --fix . || true
    ruff format .
    git ls-files -co --exclude-standard '*.xml' | xargs -r prettier --write --log-level warn
    "$PYTHON" setup/gen_readme.py
fi
if pre-commit run --all-files --show-diff-on-failure --color never; then
    echo "[lint] passed"
else
    echo "[lint] failed: see above (setup/lint.sh --fix rewrites what formatters can)"
    exit 1
fi
