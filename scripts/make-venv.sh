#!/usr/bin/env bash
# Make the project's virtual environment: `python3 -m venv`, and where Debian/Ubuntu's
# python3 lacks the venv module (package python3-venv), install it and try again.
set -euo pipefail
PYTHON="${1:-python3}"
VENV="${2:-.venv}"
if ! "$PYTHON" -m venv "$VENV" 2>/dev/null; then
  rm -rf "$VENV"
  if command -v apt-get >/dev/null 2>&1; then
    SUDO=""; [ "$(id -u)" = "0" ] || SUDO="sudo"
    ver="$("$PYTHON" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')"
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update
    $SUDO apt-get install -y --no-install-recommends "python${ver}-venv" || \
      $SUDO apt-get install -y --no-install-recommends python3-venv
    "$PYTHON" -m venv "$VENV"
  else
    echo "$PYTHON cannot make a virtual environment: install its venv module" >&2
    exit 1
  fi
fi
"$VENV/bin/python" -m pip install -q --upgrade pip
