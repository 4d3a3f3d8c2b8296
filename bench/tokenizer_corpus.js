// Writes the tokenizer benchmark corpus: >= 10 MB of real mixed text found on any Debian system
// (man pages in 20+ languages, Python's standard library, license texts), cut into documents of
// at most 8 KB at line ends and interleaved in a fixed order. Documents are separated by NUL.
// Usage: node tokenizer_corpus.js OUT [MIN_MB]
'use strict';
const fs = require('fs');
const path = require('path');
const zlib = require('zlib');

const [out, minMbArg] = process.argv.slice(2);
const minBytes = Number(minMbArg || 12) * 1024 * 1024;

function walk(dir, accept, found = []) {
  let entries;
  try { entries = fs.readdirSync(dir, { withFileTypes: true }); } catch { return found; }
  for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, accept, found);
    else if (e.isFile() && accept(p)) found.push(p);
  }
  return found;
}

function read(p) {
  let data = fs.readFileSync(p);
  if (p.endsWith('.gz')) data = zlib.gunzipSync(data);
  return data.toString('utf8');
}

function documents(text) {
  const docs = [];
  let current = '';
  for (const line of text.split(/(?<=\n)/)) {
    if (current.length + line.length > 8192 && current.length > 0) {
      docs.push(current);
      current = '';
    }
    current += line;
  }
  if (current.length > 0) docs.push(current);
  return docs;
}

// Sources, each capped so no single kind dominates.
const manRoot = '/usr/share/man';
const languages = fs.existsSync(manRoot)
  ? fs.readdirSync(manRoot).filter((d) => !/^man\d/.test(d)).sort()
  : [];
const sources = [
  { files: languages.flatMap((l) => walk(path.join(manRoot, l), (p) => p.endsWith('.gz'))), cap: 0.45 },
  { files: walk('/usr/lib/python3.11', (p) => p.endsWith('.py') && !p.includes('/test')), cap: 0.45 },
  { files: walk('/usr/share/common-licenses', () => true), cap: 0.10 },
];

// A fixed shuffle (FNV-1a of the path), so a capped source samples all its languages and modules.
function fnv(s) {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619) >>> 0;
  return h;
}

const pools = sources.map(({ files, cap }) => {
  const docs = [];
  let bytes = 0;
  for (const f of files.sort((a, b) => fnv(a) - fnv(b) || (a < b ? -1 : 1))) {
    if (bytes >= cap * minBytes) break;
    let text;
    try { text = read(f); } catch { continue; }
    for (const d of documents(text)) {
      docs.push(d);
      bytes += Buffer.byteLength(d);
    }
  }
  return docs;
});

// Round-robin across sources, so every stretch of the corpus mixes them.
const result = [];
let total = 0;
for (let i = 0; total < minBytes && pools.some((p) => i < p.length); i++) {
  for (const p of pools) {
    if (i < p.length) {
      result.push(p[i]);
      total += Buffer.byteLength(p[i]);
    }
  }
}
// Top up by repeating the start if the system has less text than asked for.
for (let i = 0; total < minBytes && result.length > 0; i++) {
  result.push(result[i]);
  total += Buffer.byteLength(result[i]);
}
fs.writeFileSync(out, result.join('\0'));
console.log(JSON.stringify({ documents: result.length, bytes: total }));
