#!/usr/bin/env bash
# `make demo`: start serve-sim on loopback, drive it, print what came back, stop it.
set -euo pipefail
bin=${1:-build/servebench}
port=${DEMO_PORT:-30077}
"$bin" serve-sim --host 127.0.0.1 --port "$port" --family vllm >/tmp/servebench-demo-sim.log 2>&1 &
sim=$!
trap 'kill $sim 2>/dev/null || true; wait $sim 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  curl -fs "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break
  sleep 0.05
done
echo "serve-sim is listening on 127.0.0.1:$port (family vllm)"
echo
echo '$ curl -N http://127.0.0.1:'"$port"'/v1/completions -d {"model":"serve-sim","prompt":"The capital of France is","max_tokens":8,"stream":true,...}'
curl -sN "http://127.0.0.1:$port/v1/completions" -H 'Content-Type: application/json' \
  -d '{"model":"serve-sim","prompt":"The capital of France is","max_tokens":8,"stream":true,"ignore_eos":true,"stream_options":{"include_usage":true}}'
