// web_audit.js: drives the browser's audit entry points (app/wasm_web_audit.c)
// under node the way the web worker does: ui/audit-store.js copies the log
// and key from a store (here a directory standing in for OPFS) into MEMFS,
// the entry points are called with ccall, and the store writes back what
// changed after each call.  Used by tests/wasm/web_audit.sh.
//
//   node web_audit.js MODULE.js STORE session DOC ZIP   a document's events,
//        network events, a summary download, an export to ZIP; prints JSON
//   node web_audit.js MODULE.js STORE verify              prints the report
//   node web_audit.js MODULE.js STORE errors              error paths (ok:/FAIL:)
//   node web_audit.js MODULE.js STORE tabs N              two module instances
//        ("tabs") sharing the store append N events each, interleaved, each
//        operation as the worker runs it (refresh, call, sync); prints JSON
'use strict';
const fs = require('fs');
const path = require('path');

const { AuditStore } = require('../../ui/audit-store.js');

const [moduleJs, store, cmd, ...rest] = process.argv.slice(2);

// The store's backend over a directory: the same three operations as the
// OPFS one (tail written at an offset and synced; small files replaced by
// rename).
function dirBackend(dir) {
  fs.mkdirSync(dir, { recursive: true });
  const p = (name) => path.join(dir, name);
  return {
    kind: 'dir',
    read: async (name) => (fs.existsSync(p(name)) ? new Uint8Array(fs.readFileSync(p(name))) : null),
    size: async (name) => (fs.existsSync(p(name)) ? fs.statSync(p(name)).size : -1),
    writeTail: async (name, at, bytes) => {
      const fd = fs.openSync(p(name), fs.existsSync(p(name)) ? 'r+' : 'w');
      try {
        fs.ftruncateSync(fd, at);
        fs.writeSync(fd, bytes, 0, bytes.length, at);
        fs.fsyncSync(fd);
      } finally { fs.closeSync(fd); }
    },
    replace: async (name, bytes) => {
      fs.writeFileSync(p(name) + '.tmp', bytes);
      fs.renameSync(p(name) + '.tmp', p(name));
    },
  };
}

// Calls fn(ptr, len) with bytes copied into the WASM heap (ccall's 'array'
// would copy them onto the stack, too small for a module).
function withBytes(M, bytes, fn) {
  const p = bytes.length ? M._malloc(bytes.length) : 0;
  if (bytes.length) M.HEAPU8.set(bytes, p);
  try { return fn(p, bytes.length); } finally { if (p) M._free(p); }
}

function api(M) {
  const c = (name, ret, types) => M.cwrap(name, ret, types);
  return {
    open: c('cs_web_audit_open', 'number', ['string', 'string', 'string', 'number']),
    checkpoint: c('cs_web_audit_checkpoint', 'number', []),
    close: c('cs_web_audit_close', 'number', []),
    lastSeq: c('cs_web_audit_last_seq', 'number', []),
    publicKey: c('cs_web_audit_public_key', 'string', []),
    documentOpened: (bytes, format) => withBytes(M, bytes, (p, n) =>
      M.ccall('cs_web_audit_document_opened', 'number', ['number', 'number', 'string'], [p, n, format])),
    parsed: c('cs_web_audit_parsed', 'number', ['number', 'string']),
    redacted: c('cs_web_audit_redacted', 'number', ['string', 'string']),
    modelLoaded: c('cs_web_audit_model_loaded', 'number', ['string', 'string', 'string']),
    summaryProduced: (bytes, t) => withBytes(M, bytes, (p, n) =>
      M.ccall('cs_web_audit_summary_produced', 'number',
        ['number', 'number', 'number', 'number', 'number', 'number', 'number', 'number'],
        [p, n, t.prompt, t.output, t.prefill, t.decode, t.total, t.flags])),
    exported: (what, bytes) => withBytes(M, bytes, (p, n) =>
      M.ccall('cs_web_audit_exported', 'number', ['string', 'number', 'number'], [what, p, n])),
    network: c('cs_web_audit_network', 'number', ['string', 'number']),
    verify: () => {
      const p = M.ccall('cs_web_audit_verify_json', 'number', [], []);
      if (!p) return null;
      const s = M.UTF8ToString(p);
      M._cs_web_audit_free(p);
      return JSON.parse(s);
    },
    exportZip: (wasm, glue) => withBytes(M, wasm, (wp, wn) => withBytes(M, glue, (gp, gn) => {
      const p = M.ccall('cs_web_audit_export_zip', 'number',
        ['number', 'number', 'string', 'number', 'number', 'number'],
        [wp, wn, path.basename(moduleJs).replace(/\.js$/, '.wasm'), gp, gn, Date.now()]);
      if (!p) return null;
      const z = M.HEAPU8.slice(p, p + M._cs_web_audit_result_len());
      M._cs_web_audit_free(p);
      return z;
    })),
    lastError: c('cs_web_audit_last_error', 'number', []),
  };
}

// Two instances of the module over one store, as two tabs of the page.
async function tabs(n) {
  const make = async () => {
    const M = await require(path.resolve(moduleJs))();
    const st = new AuditStore(dirBackend(store), M.FS);
    await st.load();
    return { A: api(M), st };
  };
  const t = [await make(), await make()];
  const rc = [];
  for (const x of t) {
    await AuditStore.locked(async () => {
      await x.st.refresh();
      rc.push(x.A.open(x.st.logPath, x.st.keyDir, 'browser', 4));
      await x.st.sync();
    });
  }
  for (let i = 0; i < 2 * n; i++) {
    const x = t[i % 2];
    await AuditStore.locked(async () => {
      await x.st.refresh();
      rc.push(x.A.parsed(i, 'text'));
      await x.st.sync();
    });
  }
  for (const x of t) {
    await x.st.refresh();
    rc.push(x.A.close());
    await x.st.sync();
  }
  console.log(JSON.stringify({ rc }));
  process.exitCode = rc.every((x) => x === 0) ? 0 : 1;
}

async function main() {
  if (cmd === 'tabs') return tabs(Number(rest[0]));
  const M = await require(path.resolve(moduleJs))();
  const A = api(M);
  const st = new AuditStore(dirBackend(store), M.FS);
  const hadKey = await st.load();
  const rc = A.open(st.logPath, st.keyDir, 'browser', 0);
  await st.sync();

  if (cmd === 'verify') {
    const r = A.verify();
    console.log(JSON.stringify({ open: rc, report: r }));
    process.exitCode = rc === 0 && r && r.intact ? 0 : 1;
    return;
  }

  if (cmd === 'session') {
    const [doc, zipOut] = rest;
    const bytes = fs.readFileSync(doc);
    const out = { open: rc, had_key: hadKey, first_seq: A.lastSeq() + 1, rc: [] };
    // Every call is followed by a write-back, as in the worker.
    const step = async (x) => { out.rc.push(x); await st.sync(); return x; };
    const summary = Buffer.from('Summary: stable. ' + bytes.length);
    await step(A.documentOpened(bytes, 'ccda'));
    await step(A.parsed(5, 'ccda'));
    await step(A.redacted('mask', JSON.stringify({ name: 2, date: 3, MRN: 1, 'phone-number': 0 })));
    await step(A.modelLoaded('ab'.repeat(32), 'llama', 'Q4_K_M'));
    await step(A.summaryProduced(summary, { prompt: 812, output: 64, prefill: 1200.7, decode: 3400, total: 4700, flags: 1 }));
    await step(A.network('http://127.0.0.1:8080/clinsum.wasm?doc=Smith', 0));
    await step(A.network('https://User:pw@Evil.Example.COM:443/steal?name=Smith#x', 1));
    await step(A.network('http://[::1]:9000/a', 0));
    out.network_skipped = [A.network('data:text/plain,Smith', 0), A.network('blob:http://127.0.0.1:8080/1-2', 0),
      A.network('/relative/path', 0)];
    await step(A.exported('summary', summary));
    await step(A.checkpoint());
    out.seq_before_export = A.lastSeq();
    out.public_key = A.publicKey();
    out.report = A.verify();
    const wasmPath = moduleJs.replace(/\.js$/, '.wasm');
    const zip = A.exportZip(fs.readFileSync(wasmPath), fs.readFileSync(moduleJs));
    out.zip_bytes = zip ? zip.length : -1;
    if (zip) fs.writeFileSync(zipOut, zip);
    out.last_seq = A.lastSeq();
    out.written = await st.sync();
    console.log(JSON.stringify(out));
    process.exitCode = rc === 0 && out.rc.every((x) => x === 0) && zip ? 0 : 1;
    return;
  }

  if (cmd === 'errors') {
    let fail = 0;
    const check = (name, ok) => { console.log(`${ok ? 'ok' : 'FAIL'}: ${name}`); if (!ok) fail = 1; };
    const INVALID = -12;
    check('opens an empty store', rc === 0 && A.lastSeq() === 0);
    check('counts that are not a JSON object are refused', A.redacted('mask', '[1,2]') === INVALID);
    check('a negative or fractional count is refused', A.redacted('mask', '{"name":-1}') === INVALID &&
      A.redacted('mask', '{"name":1.5}') === INVALID);
    check('free text as a category is refused', A.redacted('mask', '{"John Smith":1}') === INVALID);
    check('a malformed model hash is refused', A.modelLoaded('xyz', 'llama', 'Q4_0') === INVALID &&
      A.modelLoaded('AB'.repeat(32), 'llama', 'Q4_0') === INVALID);
    check('free text as a format is refused', A.parsed(1, 'a note about Smith') === INVALID);
    check('a malformed host is refused', A.network('http://exa mple.com/', 0) === INVALID);
    check('last_error says why', A.lastError() === INVALID);
    check('nothing was written by the refused calls', A.lastSeq() === 0);
    check('close', A.close() === 0);
    check('appending after close is refused', A.parsed(1, 'text') === INVALID);
    check('open refuses an empty path', A.open('', st.keyDir, '', 0) === INVALID);
    process.exitCode = fail;
    return;
  }
  console.error('usage: web_audit.js MODULE.js STORE session DOC ZIP | verify | errors');
  process.exitCode = 2;
}

main().catch((e) => { console.error(e); process.exitCode = 2; });
