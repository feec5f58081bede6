/*
 * worker.js: runs the C core (clinsum_web.js + clinsum_web.wasm, built from
 * app/wasm_web.c) in a Web Worker, so the page's thread never parses,
 * redacts or summarizes and never blocks.  Classic worker: importScripts()
 * loads the Emscripten glue from this same origin (CSP script-src 'self').
 *
 * Message protocol: every message is an object {type, ...}.
 *
 *   page -> worker
 *     {type: 'process', id, name, bytes}   bytes: ArrayBuffer of the file
 *        (transferred); id: the caller's number echoed in every reply.
 *        Optional style: 'brief' | 'handoff' | 'patient'.
 *
 *   worker -> page
 *     {type: 'ready', simd: true, threads: false, init_ms, requests}
 *        once, after the module compiled and the redactor was built; the
 *        page may post 'process' before that (messages queue).  requests:
 *        the URLs this worker loaded (its Resource Timing entries).
 *     {type: 'parsed', id, doc}          doc: cs_web_parse() JSON (format,
 *        kind, title, sections [{title, code, depth, text}])
 *     {type: 'redacted', id, redaction}  redaction: cs_web_redact() JSON
 *        (categories, counts, n_spans, sections [{spans, redacted}])
 *     {type: 'summary', id, markdown, json}  the extractive summary
 *        (Markdown, and the JSON of `clinsum summarize --format json`)
 *     {type: 'done', id, ms: {parse, redact, summarize, total}}
 *     {type: 'error', id, stage, message}  stage: 'load' | 'parse' |
 *        'redact' | 'summarize'; message is a cs_err message, never text
 *        from the document.  After an error no further reply for that id.
 *
 * Nothing here uses the network beyond loading the module from its own
 * origin at start-up (and re-reading it on an audit export, for the
 * attestation), stores anything but the audit log of hashes and counts
 * (audit-worker.js), or logs document content.
 */
'use strict';

importScripts('clinsum_web.js', 'worker-model.js', 'audit-store.js', 'audit-worker.js'); // the model: worker-model.js

let api = null;            // wrapped C functions, once the module is ready
const queue = [];          // 'process' messages that arrived before it

function call(fn, bytes, arg) {
  const n = bytes.byteLength;
  const ptr = api.alloc(n);
  if (!ptr) throw new Error('out of memory');
  try {
    api.module.HEAPU8.set(new Uint8Array(bytes), ptr);
    const out = fn(ptr, n, arg);
    if (!out) throw new Error('out of memory');
    try {
      return JSON.parse(api.module.UTF8ToString(out));
    } finally {
      api.free(out);
    }
  } finally {
    api.free(ptr);
  }
}

function handle(msg) {
  const { id, name, bytes, style } = msg;
  self.clinsumLastDocument = msg; // for the model summary (worker-model.js)
  const t0 = performance.now();
  const ms = {};
  const steps = [
    ['parse', () => call(api.parse, bytes, name || ''), (doc) => ({ type: 'parsed', id, doc })],
    ['redact', () => call(api.redact, bytes), (redaction) => ({ type: 'redacted', id, redaction })],
    ['summarize', () => call(api.summarize, bytes, style || ''),
      (r) => ({ type: 'summary', id, markdown: r.markdown, json: r.json })],
  ];
  for (const [stage, run, reply] of steps) {
    const s0 = performance.now();
    let r;
    try {
      r = run();
    } catch (e) {
      postMessage({ type: 'error', id, stage, message: String(e && e.message || e) });
      ClinsumAudit.failed(stage, bytes);
      return;
    }
    ms[stage] = performance.now() - s0;
    if (!r.ok) {
      postMessage({ type: 'error', id, stage, message: r.error });
      ClinsumAudit.failed(stage, bytes);
      return;
    }
    postMessage(reply(r));
    ClinsumAudit.step(stage, r, bytes, ms); // hashes and counts only (audit-worker.js)
  }
  ms.total = performance.now() - t0;
  postMessage({ type: 'done', id, ms });
  ClinsumAudit.done();
}

onmessage = (e) => {
  const msg = e.data || {};
  if (ClinsumAudit.onMessage(msg)) return;
  if (msg.type !== 'process') return;
  if (api) handle(msg);
  else queue.push(msg);
};

const t0 = performance.now();
ClinsumWeb().then((module) => {
  api = {
    module,
    alloc: module.cwrap('cs_web_alloc', 'number', ['number']),
    free: module.cwrap('cs_web_free', null, ['number']),
    parse: module.cwrap('cs_web_parse', 'number', ['number', 'number', 'string']),
    redact: module.cwrap('cs_web_redact', 'number', ['number', 'number']),
    summarize: module.cwrap('cs_web_summarize', 'number', ['number', 'number', 'string']),
  };
  const rc = module.ccall('cs_web_init', 'number', [], []);
  if (rc !== 0) {
    postMessage({ type: 'error', id: null, stage: 'load', message: 'could not initialise (code ' + rc + ')' });
    return;
  }
  // The worker's own loads (the glue and the module), for the page's count.
  const requests = performance.getEntriesByType('resource').map((e) => e.name);
  postMessage({ type: 'ready', simd: true, threads: false, init_ms: performance.now() - t0, requests });
  ClinsumAudit.start(module);
  while (queue.length) handle(queue.shift());
  self.onClinsumModule(module);
}, (err) => {
  postMessage({ type: 'error', id: null, stage: 'load', message: String(err && err.message || err) });
});
