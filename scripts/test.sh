#!/usr/bin/env bash
# The whole test suite: install what the tests need, type-check, lint, check formatting, then run every test.
# Runs under npm, so node_modules/.bin (Node 24, tsc, eslint) comes first on PATH.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-test-deps.sh
echo "== typecheck"; tsc --noEmit -p .; tsc --noEmit -p src/web
echo "== lint"; eslint --max-warnings 0 .
echo "== format"; prettier --check --log-level warn .
echo "== dashboard build"; node scripts/build-web.ts --if-stale
echo "== tests"
mkdir -p .artifacts
exec node --test --test-reporter=spec --test-concurrency=2 'src/**/*.test.ts' 'test/**/*.test.ts'
