// phi_scan.js: helpers for the PHI-free audit test (test_audit_phi.sh).
//   node phi_scan.js extract OUTDIR NOTES.jsonl...
//       writes OUTDIR/notes/<n>.txt (one per note) and OUTDIR/identifiers.json
//   node phi_scan.js scan OUTDIR/identifiers.json BASELINE_DIR FILE...
//       searches FILEs for every annotated identifier; prints one line per hit
//       (note id, category, file: never the identifier itself) and a summary.
//
// Before searching, what is by construction not text is masked: hex digests
// and signatures, key fingerprints, timestamps and numbers (sizes, counts and
// timings may equal an annotated age or year by coincidence; a number cannot
// carry a name).  The vocabulary of the schema and the report template comes
// from BASELINE_DIR: the same pipeline run on a note without patient data,
// its log and exported bundle.  An identifier found there too (the corpus
// annotates the word "email" once; the log has a field n_email) is
// vocabulary, not a leak, and is counted apart.
'use strict';
const fs = require('fs');
const path = require('path');

function extract(out, files) {
  fs.mkdirSync(path.join(out, 'notes'), { recursive: true });
  const ids = [];
  let n = 0;
  for (const f of files) {
    for (const line of fs.readFileSync(f, 'utf8').split('\n')) {
      if (!line.trim()) continue;
      const o = JSON.parse(line);
      n++;
      fs.writeFileSync(path.join(out, 'notes', `${String(n).padStart(5, '0')}.txt`), o.text);
      for (const s of o.spans || []) ids.push({ note: o.id, category: s.category, text: s.text });
    }
  }
  fs.writeFileSync(path.join(out, 'identifiers.json'), JSON.stringify(ids));
  console.log(`extracted ${n} notes, ${ids.length} identifiers`);
}

function mask(s) {
  return s
    .replace(/[0-9a-f]{16,}/g, '#')
    .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, '#')
    .replace(/\b\d+(\.\d+)?\b/g, '#');
}

function readMasked(files) {
  return files.map((f) => ({ file: f, text: mask(fs.readFileSync(f, 'utf8')) }));
}

function scan(idsFile, baselineDir, files) {
  const ids = JSON.parse(fs.readFileSync(idsFile, 'utf8'));
  const base = readMasked(fs.readdirSync(baselineDir).map((f) => path.join(baselineDir, f)))
    .map((x) => x.text).join('\n');
  const docs = readMasked(files);
  let hits = 0, short = 0, template = 0, numeric = 0, searched = 0;
  const seen = new Set();
  for (const id of ids) {
    const t = id.text.trim();
    if (seen.has(t)) continue;
    seen.add(t);
    if (t.length < 2) { short++; continue; }
    if (/^[\d\s]+$/.test(t) && !/\d{5,}/.test(t)) { numeric++; }
    if (base.includes(t)) { template++; continue; }
    searched++;
    for (const d of docs) {
      if (d.text.includes(t)) {
        hits++;
        console.log(`HIT: identifier from note ${id.note} (${id.category}) found in ${path.basename(d.file)}`);
      }
    }
  }
  console.log(`searched ${searched} distinct identifiers in ${docs.length} files: ${hits} hits ` +
              `(${short} one-character identifiers skipped, ${template} also in the baseline vocabulary, ` +
              `${numeric} short numbers searched after masking numbers)`);
  process.exit(hits ? 1 : 0);
}

const [cmd, ...args] = process.argv.slice(2);
if (cmd === 'extract') extract(args[0], args.slice(1));
else if (cmd === 'scan') scan(args[0], args[1], args.slice(2));
else { console.error('usage: phi_scan.js extract OUTDIR NOTES... | scan IDS BASELINE FILE...'); process.exit(2); }
