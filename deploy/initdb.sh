#!/bin/sh
# First start of the db container: the owner role (owns the schema, migrates, purges) and
# the app role (SELECT/INSERT only, granted by `costshare store grants` after each upgrade).
set -eu
psql -v ON_ERROR_STOP=1 --username postgres <<SQL
CREATE ROLE costshare_owner LOGIN PASSWORD '${OWNER_PASSWORD}';
CREATE ROLE costshare_app LOGIN PASSWORD '${APP_PASSWORD}';
CREATE DATABASE costshare OWNER costshare_owner;
\connect costshare
ALTER SCHEMA public OWNER TO costshare_owner;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
SQL
