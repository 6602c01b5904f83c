#!/usr/bin/env bash
# Install everything the tests need (Debian and Python packages) and run the whole test suite.
# Usage: bash scripts/test.sh [pytest arguments]
# Leaves .venv (the quick start's install) untouched: the tests install into .venv-test.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages: Chromium for the HTML views' browser tests; Virtuoso for the remote-store tests.
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v virtuoso-t >/dev/null 2>&1 || missing+=(virtuoso-opensource)  # remote-store tests
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}"
fi

# Python packages: geokg (editable) with its test extras, in an environment of the tests' own
# (.venv-test), so that the quick start's .venv, and a server running from it, are left alone.
venv=.venv-test
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/python" -m pip install -q --disable-pip-version-check --upgrade pip
"$venv/bin/python" -m pip install -q --disable-pip-version-check -e '.[test]'

"$venv/bin/ruff" check src graph api bench tests scripts
"$venv/bin/python" -m pytest -q "$@"
