// Encodes the benchmark corpus with HuggingFace's tokenizers (Rust via @anush008/tokenizers) on
// one thread (TOKENIZERS_PARALLELISM=false) and prints one JSON line per pass:
// {"pass", "wall", "seconds" (CPU time of the process), "tokens"}, then {"ids_hash"}. Batches of documents amortize the Node call overhead, so the
// figure is the Rust library's own speed.
// Usage: node tokenizer_hf_bench.js TOKENIZER_JSON CORPUS [PASSES]
'use strict';
const fs = require('fs');
const { Tokenizer } = require('@anush008/tokenizers');

const [tokenizerPath, corpusPath, passesArg] = process.argv.slice(2);
const passes = Number(passesArg || 2);
const docs = fs.readFileSync(corpusPath, 'utf8').split('\0');
const tok = Tokenizer.fromFile(tokenizerPath);

(async () => {
  for (let pass = 1; pass <= passes; pass++) {
    let tokens = 0;
    const start = process.hrtime.bigint();
    const cpuStart = process.cpuUsage();
    for (let i = 0; i < docs.length; i += 512) {
      const encodings = await tok.encodeBatch(docs.slice(i, i + 512), { addSpecialTokens: false });
      for (const e of encodings) tokens += e.getLength();
    }
    const wall = Number(process.hrtime.bigint() - start) / 1e9;
    const cpu = process.cpuUsage(cpuStart);
    const seconds = (cpu.user + cpu.system) / 1e6;
    console.log(JSON.stringify({ pass, wall, seconds, tokens }));
  }
  // An untimed pass that hashes every id (FNV-1a over ids, documents separated by -1), for an
  // exact comparison with servebench's ids.
  let hash = 0x811c9dc5;
  for (let i = 0; i < docs.length; i += 512) {
    const encodings = await tok.encodeBatch(docs.slice(i, i + 512), { addSpecialTokens: false });
    for (const e of encodings) {
      for (const id of e.getIds()) hash = Math.imul(hash ^ id, 16777619) >>> 0;
      hash = Math.imul(hash ^ 0xffffffff, 16777619) >>> 0;
    }
  }
  console.log(JSON.stringify({ ids_hash: hash }));
})();
