#!/usr/bin/env bash
# Debian packages the tests and PDF notices need: Chromium (real-browser test), a CJK
# TrueType font (embedded in PDF notices, Chinese in screenshots) and poppler-utils
# (pdffonts / pdftotext in tests) and PostgreSQL (the shared scenario store's tests start a
# throwaway server) and LibreOffice Calc (soffice recomputes the Excel parity cases).
# Installs only what is missing.
set -euo pipefail
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
[ -f /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc ] || need+=(fonts-wqy-zenhei)
command -v pdffonts >/dev/null 2>&1 || need+=(poppler-utils)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
command -v soffice >/dev/null 2>&1 || need+=(libreoffice-calc)
if [ ${#need[@]} -eq 0 ] && [ "${FORCE_APT:-}" = "" ]; then
  echo "system packages present: chromium, fonts-wqy-zenhei, poppler-utils, postgresql, libreoffice-calc"
  exit 0
fi
[ ${#need[@]} -eq 0 ] && need=(chromium fonts-wqy-zenhei poppler-utils postgresql libreoffice-calc)
SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "apt-get not found: install ${need[*]} by hand (Debian/Ubuntu package names)" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update
$SUDO apt-get install -y --no-install-recommends "${need[@]}"
