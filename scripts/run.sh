#!/usr/bin/env bash
# One entry point for a fresh Debian machine: installs what Spothreat needs, builds it, then
#   demo  runs the demo on the embedded engine (generate a day, collect it with nfcapd, ingest, summarise)
#   test  runs the whole test suite
set -euo pipefail
cd "$(dirname "$0")/.."

mode="${1:-}"
case "$mode" in
  demo) debs=(nfdump nfdump-sflow) ;;
  test) debs=(nfdump nfdump-sflow tshark) ;;
  *) echo "usage: bash scripts/run.sh demo|test" >&2; exit 2 ;;
esac
shift

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "need root (or sudo) to run: $*" >&2; exit 1
  fi
}

missing=()
for p in "${debs[@]}"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p"); done
if [ "${#missing[@]}" -gt 0 ]; then
  say "installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null 2>&1 || {
    as_root apt-get update -qq
    as_root apt-get install -y -qq --no-install-recommends "${missing[@]}"
  }
fi

node_major="$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)"
if [ "$node_major" -lt 20 ]; then
  echo "Spothreat needs Node.js 20 or later (found: $(node -v 2>/dev/null || echo none))." >&2
  echo "Install it from https://nodejs.org or NodeSource, then run this again." >&2
  exit 1
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing npm packages (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
fi

if [ "$mode" = test ]; then
  # scikit-learn's LDA is the reference the LDA tests compare against. It goes into .venv (the
  # tests look there first): Debian's own python3 refuses pip installs outside a venv (PEP 668).
  if ! { [ -x .venv/bin/python3 ] && .venv/bin/python3 -c 'import sklearn' 2>/dev/null; } && ! python3 -c 'import sklearn' 2>/dev/null; then
    if ! python3 -c 'import ensurepip, venv' 2>/dev/null; then
      say "installing Debian packages: python3 python3-venv"
      export DEBIAN_FRONTEND=noninteractive
      as_root apt-get install -y -qq --no-install-recommends python3 python3-venv >/dev/null 2>&1 || {
        as_root apt-get update -qq
        as_root apt-get install -y -qq --no-install-recommends python3 python3-venv
      }
    fi
    say "installing scikit-learn (PyPI) into .venv"
    rm -rf .venv
    python3 -m venv .venv
    .venv/bin/python3 -m pip install --quiet --disable-pip-version-check scikit-learn==1.9.1
  fi
fi

case "$mode" in
  demo)
    say "building"
    npm run --silent build
    say "running the demo"
    exec node dist/cli/main.js demo "$@"
    ;;
  test)
    say "running the tests"
    exec npm test --silent -- "$@"
    ;;
esac
