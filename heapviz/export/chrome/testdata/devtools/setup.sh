#!/bin/sh
# Builds devtools-check.mjs, the harness TestDevToolsAgrees runs: it installs
# Chrome DevTools' front end and esbuild from npm into DIR (default
# /tmp/heapviz-devtools) and bundles check.ts against DevTools' heap
# snapshot worker. Then run, from the repository root:
#   HEAPVIZ_DEVTOOLS=DIR/devtools-check.mjs go test ./heapviz/export/chrome -run DevTools -v
set -eu
here=$(cd "$(dirname "$0")" && pwd)
dir=${1:-/tmp/heapviz-devtools}
mkdir -p "$dir"
cd "$dir"
[ -f package.json ] || echo '{"private": true}' > package.json
# Pinned: the versions the comparison was last run with.
npm install --no-audit --no-fund chrome-devtools-frontend@1.0.1705227 esbuild@0.28.2
fe="$dir/node_modules/chrome-devtools-frontend/front_end"
# The npm package lacks the locale table DevTools' build generates; the
# worker needs only its shape.
[ -f "$fe/core/i18n/locales.ts" ] || cat > "$fe/core/i18n/locales.ts" <<'TS'
export const LOCALES = ['en-US'];
export const BUNDLED_LOCALES = ['en-US'];
export const DEFAULT_LOCALE = 'en-US';
export const REMOTE_FETCH_PATTERN = '';
export const LOCAL_FETCH_PATTERN = '';
TS
npx esbuild "$here/check.ts" --bundle --platform=node --format=esm \
	--alias:devtools-frontend="$fe" --outfile="$dir/devtools-check.mjs" --log-level=error
echo "built $dir/devtools-check.mjs"
