#!/usr/bin/env bash
# The whole test suite: install what the tests need, type-check, lint, check formatting and the layering, run
# every test on the embedded SQLite store, then run every test that builds a node or its services again on a real PostgreSQL.
# Runs under npm, so node_modules/.bin (Node 24, tsc, eslint) comes first on PATH.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-test-deps.sh
echo "== typecheck"; tsc --noEmit -p .; tsc --noEmit -p src/web
echo "== lint"; eslint --max-warnings 0 .
echo "== format"; prettier --check --log-level warn .
echo "== dependencies (.dependency-cruiser.cjs: layers, cycles, index-only imports, adapters)"
depcruise src --config .dependency-cruiser.cjs --output-type err-long
echo "== dashboard build"; node scripts/build-web.ts --if-stale
mkdir -p .artifacts

echo "== tests on PostgreSQL (every test that builds a node or its services; one throwaway server)"
pgdir=$(bash scripts/test-postgres.sh)
trap 'bash scripts/test-postgres.sh stop "$pgdir"' EXIT
mapfile -t service_tests < <(grep -l 'startTestNode\|openTestServices\|startAcmeWorld\|storeFlags()' test/*/*.test.ts)
TEST_STORE=postgres TEST_POSTGRES_HOST="$pgdir" \
  node --test --test-reporter=spec --test-concurrency=2 "${service_tests[@]}"

echo "== all tests on SQLite"
node --test --test-reporter=spec --test-concurrency=2 'src/**/*.test.ts' 'test/**/*.test.ts'
