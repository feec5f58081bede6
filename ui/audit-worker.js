/*
 * audit-worker.js: the audit log inside the worker.  worker.js loads it with
 * importScripts() after audit-store.js, calls ClinsumAudit.start(module)
 * once the WASM module is ready, ClinsumAudit.step(stage, result, bytes, ms)
 * after each pipeline step that succeeded, failed(stage, bytes) after one
 * that did not, done() when a document is finished, modelLoaded(info) when
 * ui/worker-model.js has a model, and hands it the page's
 * 'audit-*' messages (onMessage returns true for those).  Every log operation
 * runs in order on one promise chain: the C call (app/wasm_web_audit.c),
 * then the write-back to OPFS/IndexedDB (audit-store.js), then a report to
 * the page.
 *
 * What is recorded (AUDIT_FORMAT.md): document_opened (SHA-256, size,
 * format), parsed (sections), redacted (counts per category), summary_produced
 * (SHA-256 of the summary, flags, time), exported (summary downloads and
 * audit bundles), network (every request the page or the worker made, origin
 * only, and every request the Content-Security-Policy blocked), checkpoint
 * (signed, after each document).  Document and summary bytes are hashed in C
 * and never stored.
 *
 *   page -> worker
 *     {type: 'audit-network', url, blocked}  a request the page observed
 *     {type: 'audit-export'}                 build the bundle ZIP
 *     {type: 'audit-exported', format}       the user downloaded the summary
 *                                            ('md' | 'json')
 *   worker -> page
 *     {type: 'audit-log', reset, events, report, storage, key}
 *        after each change: the log lines not sent before (parsed JSON;
 *        reset: start over), the verification report, where the log is
 *        kept ('opfs' | 'indexeddb') and the public key (hex)
 *     {type: 'audit-zip', name, bytes}       bytes: ArrayBuffer (transferred)
 *     {type: 'audit-error', message}         never document text
 */
'use strict';

(function (root) {
  const { AuditStore, openBackend } = root.ClinsumAuditStore;
  const WASM_URL = 'clinsum_web.wasm';
  const GLUE_URL = 'clinsum_web.js';

  let M = null;       // the module
  let A = null;       // wrapped entry points
  let open = false;   // the log is open for appending
  let store = null;
  let sent = 0;       // bytes of the log already reported to the page
  let lastSummary = null; // {md, json} of the last summary, for download events
  let begin;
  let chain = new Promise((resolve) => { begin = resolve; });

  function fail(e) {
    root.postMessage({ type: 'audit-error', message: String((e && e.message) || e) });
  }

  // Queues fn (C calls) after everything before it; runs it on the latest
  // stored log (another tab may have appended), then writes back and
  // reports.  Calls made before start() wait for it.
  function record(fn) {
    chain = chain.then(() => AuditStore.locked(async () => {
      if (!open) return;
      await store.refresh();
      fn();
      await store.sync();
      report();
    })).catch(fail);
    return chain;
  }

  // Copies bytes into the module's heap for the duration of fn(ptr, len):
  // the app module's allocator (wasm_web.c), else malloc if exported.
  function withBytes(bytes, fn) {
    const alloc = M._cs_web_alloc || M._malloc, release = M._cs_web_free || M._free;
    const u8 = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
    const p = u8.length ? alloc(u8.length) : 0;
    if (u8.length && !p) throw new Error('out of memory');
    if (p) M.HEAPU8.set(u8, p);
    try { return fn(p, u8.length); } finally { if (p) release(p); }
  }

  function bind() {
    const c = (name, ret, types) => M.cwrap(name, ret, types);
    const rawOpened = c('cs_web_audit_document_opened', 'number', ['number', 'number', 'string']);
    const rawSummary = c('cs_web_audit_summary_produced', 'number',
      ['number', 'number', 'number', 'number', 'number', 'number', 'number', 'number']);
    const rawExported = c('cs_web_audit_exported', 'number', ['string', 'number', 'number']);
    const rawZip = c('cs_web_audit_export_zip', 'number',
      ['number', 'number', 'string', 'number', 'number', 'number']);
    const free = c('cs_web_audit_free', null, ['number']);
    return {
      open: c('cs_web_audit_open', 'number', ['string', 'string', 'string', 'number']),
      checkpoint: c('cs_web_audit_checkpoint', 'number', []),
      publicKey: c('cs_web_audit_public_key', 'string', []),
      parsed: c('cs_web_audit_parsed', 'number', ['number', 'string']),
      redacted: c('cs_web_audit_redacted', 'number', ['string', 'string']),
      network: c('cs_web_audit_network', 'number', ['string', 'number']),
      modelLoaded: c('cs_web_audit_model_loaded', 'number', ['string', 'string', 'string']),
      lastError: c('cs_web_audit_last_error', 'number', []),
      strerror: c('cs_web_audit_strerror', 'string', ['number']),
      resultLen: c('cs_web_audit_result_len', 'number', []),
      opened: (bytes, format) => withBytes(bytes, (p, n) => rawOpened(p, n, format)),
      summary: (bytes, t) => withBytes(bytes, (p, n) =>
        rawSummary(p, n, t.prompt || 0, t.output || 0, t.prefill || 0, t.decode || 0, t.total || 0, t.flags || 0)),
      exported: (what, bytes) => withBytes(bytes, (p, n) => rawExported(what, p, n)),
      verify: () => {
        const p = M.ccall('cs_web_audit_verify_json', 'number', [], []);
        if (!p) return null;
        try { return JSON.parse(M.UTF8ToString(p)); } finally { free(p); }
      },
      zip: (wasm, glue) => withBytes(wasm, (wp, wn) => withBytes(glue, (gp, gn) => {
        const p = rawZip(wp, wn, WASM_URL, gp, gn, Date.now());
        if (!p) return null;
        try { return M.HEAPU8.slice(p, p + A.resultLen()); } finally { free(p); }
      })),
    };
  }

  // Sends the page the log lines it has not seen and the verdict.  The log
  // is ASCII (the C writer allows nothing else), so bytes are characters.
  function report() {
    let bytes;
    try { bytes = M.FS.readFile(store.logPath); } catch (e) { bytes = new Uint8Array(0); }
    const reset = bytes.length < sent || sent === 0;
    if (reset) sent = 0;
    const text = new TextDecoder().decode(bytes.subarray(sent));
    const end = text.lastIndexOf('\n') + 1;
    const events = text.slice(0, end).split('\n').filter(Boolean).map((line) => {
      try { return JSON.parse(line); } catch (e) { return { type: 'unreadable' }; }
    });
    sent += end;
    root.postMessage({ type: 'audit-log', reset, events, report: A.verify(), storage: store.backendName,
      key: A.publicKey() });
  }

  function check(rc, what) {
    if (rc < 0) throw new Error(what + ': ' + A.strerror(rc));
    return rc;
  }

  // ------------------------------------------------------------ start

  // Loads the stored log and key into MEMFS and opens the log.  Network
  // events and pipeline steps that arrived earlier run after this.
  async function start(module) {
    M = module;
    try {
      await AuditStore.locked(async () => {
        store = new AuditStore(await openBackend(), M.FS);
        await store.load();
        A = bind();
        const rc = A.open(store.logPath, store.keyDir, 'browser', 0);
        await store.sync(); // a new key pair, a "recovered" event
        report();
        // A stored log that cannot be continued (edited) is shown and can be
        // exported with its verdict, but nothing more is recorded in it.
        if (rc !== 0) throw new Error('the stored audit log cannot be continued: ' + A.strerror(rc));
        open = true;
      });
    } catch (e) {
      fail(e);
    }
    begin();
  }

  // ------------------------------------------------------------ pipeline hooks

  function network(url, blocked) {
    if (typeof url !== 'string' || !url) return;
    record(() => { check(A.network(url, blocked ? 1 : 0), 'network event'); });
  }

  // One pipeline step's result (the worker's reply for it): parse ->
  // document_opened + parsed (the bytes are hashed in C, then forgotten),
  // redact -> redacted (counts), summarize -> summary_produced (hash, flags).
  function step(stage, r, bytes, ms) {
    if (stage === 'parse') {
      const format = r.format || 'unknown';
      record(() => {
        check(A.opened(bytes, format), 'document_opened');
        check(A.parsed((r.sections || []).length, format), 'parsed');
      });
    } else if (stage === 'redact') {
      record(() => { check(A.redacted(r.mode || 'mask', JSON.stringify(r.counts || {})), 'redacted'); });
    } else if (stage === 'summarize') {
      const md = new TextEncoder().encode(r.markdown || '');
      let flags = 0;
      try { flags = JSON.parse(r.json).flag_count || 0; } catch (e) { /* no JSON */ }
      lastSummary = { md, json: new TextEncoder().encode(r.json || '') };
      const total = (ms && ms.summarize) || 0;
      record(() => { check(A.summary(md, { total, flags }), 'summary_produced'); });
    }
  }

  // A model finished loading (ui/worker-model.js): model_loaded with the
  // SHA-256 of every byte fed, the architecture and quantization.
  function modelLoaded(info) {
    if (!info || !info.sha256) return;
    record(() => { check(A.modelLoaded(info.sha256, info.arch || 'unknown', info.quant || 'unknown'), 'model_loaded'); });
  }

  // A document that could not be parsed is still recorded as opened.
  function failed(stage, bytes) {
    if (stage === 'parse') record(() => { check(A.opened(bytes, 'unknown'), 'document_opened'); });
  }

  // The document is done: sign the chain so far.
  function done() {
    record(() => { check(A.checkpoint(), 'checkpoint'); });
  }

  // ------------------------------------------------------------ export

  async function fetchBytes(url) {
    const r = await fetch(url, { cache: 'force-cache' });
    if (!r.ok) throw new Error(url + ': HTTP ' + r.status);
    return new Uint8Array(await r.arrayBuffer());
  }

  function exportZip() {
    chain = chain.then(() => AuditStore.locked(async () => {
      if (!A) throw new Error('the audit log is not available');
      await store.refresh();
      // The module and glue this worker runs, for the egress attestation
      // (from the HTTP cache: the same bytes importScripts and the glue
      // loaded).
      const [wasm, glue] = await Promise.all([fetchBytes(WASM_URL), fetchBytes(GLUE_URL)]);
      const zip = A.zip(wasm, glue);
      if (!zip) throw new Error('export: ' + A.strerror(A.lastError()));
      await store.sync();
      report();
      const name = 'clinsum-audit-' + new Date().toISOString().slice(0, 10) + '.zip';
      root.postMessage({ type: 'audit-zip', name, bytes: zip.buffer }, [zip.buffer]);
    })).catch(fail);
    return chain;
  }

  function downloaded(format) {
    if (!lastSummary) return;
    const bytes = format === 'json' ? lastSummary.json : lastSummary.md;
    record(() => { check(A.exported('summary', bytes), 'exported'); });
  }

  // Handles the page's 'audit-*' messages; returns false for any other.
  function onMessage(msg) {
    switch (msg && msg.type) {
      case 'audit-network': network(msg.url, msg.blocked); return true;
      case 'audit-export': exportZip(); return true;
      case 'audit-exported': downloaded(msg.format); return true;
      default: return false;
    }
  }

  // The worker's own requests (importScripts, the module, fetches) and
  // whatever the policy blocked here.
  if (typeof PerformanceObserver !== 'undefined') {
    try {
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) network(e.name, false);
      }).observe({ type: 'resource', buffered: true });
    } catch (e) { /* no resource timing in this worker */ }
  }
  root.addEventListener('securitypolicyviolation', (e) => network(e.blockedURI, true));

  root.ClinsumAudit = { start, step, failed, done, onMessage, network, modelLoaded };
})(self);
