#!/usr/bin/env bash
# Installs the dashboard's npm packages (Open MCT, playwright-core) from the committed
# lockfile: `npm ci` only when web/node_modules is missing or the lockfile changed since the
# last install; quick when there is nothing to do. `make deps` runs it.
set -euo pipefail
web="$(cd "$(dirname "${BASH_SOURCE[0]}")/../web" && pwd)"
stamp="$web/node_modules/.leakhunt-lock.sha256"
want="$(sha256sum "$web/package-lock.json" | cut -d' ' -f1)"
if [ -d "$web/node_modules/openmct" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  exit 0
fi
echo "install-web: npm ci in $web"
(cd "$web" && npm ci --no-audit --no-fund)
echo "$want" > "$stamp"
