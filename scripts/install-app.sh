#!/usr/bin/env bash
# The one install of the deployable app, used by the Dockerfile and by `make deploy-check`
# (so the two cannot drift). Installs costshare with the app, PDF, PostgreSQL, OIDC and
# API extras. COSTSHARE_INSTALL=editable installs from the work tree in editable mode;
# COSTSHARE_INSTALL=skip checks that the installed packages import (a shared dev env).
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
case "${COSTSHARE_INSTALL:-normal}" in
  normal)   "$PYTHON" -m pip install --no-cache-dir -q ".[app,pdf,postgres,auth,api]" ;;
  editable) "$PYTHON" -m pip install -q -e ".[app,pdf,postgres,auth,api]" ;;
  skip)     ;;
  *) echo "COSTSHARE_INSTALL must be normal, editable or skip" >&2; exit 2 ;;
esac
"$PYTHON" -c "import costshare.store, streamlit, psycopg, sqlalchemy, alembic, reportlab, fastapi, uvicorn"
