/*
 * worker-model.js: the model half of the worker (imported by worker.js,
 * same scope): streams a picked GGUF file into the C module and runs the
 * model-mode summary there (app/wasm_web_model.c).  Its own 'message'
 * listener takes the messages below; worker.js hands over the module
 * (self.onClinsumModule) and keeps the last document's bytes
 * (self.clinsumLastDocument) so a summary needs no second copy from the page.
 *
 *   page -> worker
 *     {type: 'model-load', file}          file: the File the user picked
 *        (read here in chunks with File.slice; never fetched, never stored)
 *     {type: 'model-summarize', id, style, max_tokens, stop}
 *        the model summary of the last processed document (its id); stop: a
 *        SharedArrayBuffer (Int32Array view, one slot) the page sets to 1 to
 *        cancel: generation checks it before each token, since this worker
 *        cannot read messages while the C call runs.
 *     {type: 'model-generate', text, n}   n greedy tokens after `text`
 *        fed verbatim (what `clinsum generate --greedy --raw` does)
 *     {type: 'model-bench', n_prompt, n_gen}
 *     {type: 'model-unload'}
 *     {type: 'model-load-stored', sha256}  load the copy kept in the origin
 *        private file system (OPFS) and verify its SHA-256 on the way in
 *     {type: 'model-clear'}               delete every stored model
 *
 *   worker -> page
 *     {type: 'model-progress', loaded, total, tensors_ready, header}
 *        while loading, at most every 100 ms and at the end; header: the
 *        file's header has been read and tensors are being placed.
 *     {type: 'model-loaded', info, ms, stored, verified}  info:
 *        cs_web_model_finish() JSON (with sha256); stored: a copy is now in
 *        OPFS under models/<sha256>.gguf; verified: it was loaded from there
 *        and its SHA-256 matched.
 *     {type: 'model-stored', models: [{sha256, name, size}]}  what OPFS
 *        holds: sent at start-up and after every change.  A model picked by
 *        the user is written there while it streams in (a sync access
 *        handle, this worker only), so the next visit loads it offline.
 *     {type: 'model-token', id, text}     a piece of generated text
 *     {type: 'model-summary', id, markdown, json, model, parts, ms}
 *     {type: 'model-generated', ids, text}
 *     {type: 'model-bench', result}
 *     {type: 'model-error', id, stage, message, code}  stage: 'load' |
 *        'summarize' | 'generate' | 'bench'; code: a cs_err (common/cs_err.h);
 *        cancelled: true when Stop ended it.
 */
'use strict';

(function () {
  const CS_ERR_CANCELLED = -15; // common/cs_err.h
  const CHUNK = 8 << 20;        // bytes read from the File per step
  const HEADER_CHUNK = 1 << 20; // bytes per feed until the header parses
  let M = null;                 // the Emscripten module
  let loaded = null;            // cs_web_model_finish() info
  const waiting = [];           // messages before the module was ready

  self.onClinsumModule = (module) => {
    M = module;
    M.onModelToken = null;
    postStored();
    while (waiting.length) handle(waiting.shift());
  };

  // Call a C function returning a JSON string (freed here).
  function json(ptr) {
    ptr >>>= 0;
    if (!ptr) throw new Error('out of memory');
    try {
      return JSON.parse(M.UTF8ToString(ptr));
    } finally {
      M._cs_web_free(ptr);
    }
  }
  // Copy JS bytes into a fresh module buffer; the caller frees it.
  function toHeap(bytes) {
    const p = M._cs_web_alloc(bytes.byteLength) >>> 0;
    if (!p) throw new Error('out of memory');
    M.HEAPU8.set(bytes, p);
    return p;
  }
  // A NUL-terminated UTF-8 copy of s; the caller frees it.
  const cstr = (s) => toHeap(new TextEncoder().encode(s + '\0'));
  const lastError = () => M.UTF8ToString(M._cs_web_model_error() >>> 0) || 'format error';

  // ---------------------------------------------------------------- OPFS
  // models/<sha256>.gguf with models/<sha256>.json {name, size}.
  async function modelsDir() {
    if (!self.navigator.storage || !navigator.storage.getDirectory) return null;
    const root = await navigator.storage.getDirectory();
    return root.getDirectoryHandle('models', { create: true });
  }
  async function listStored() {
    const dir = await modelsDir().catch(() => null);
    const out = [];
    if (!dir) return out;
    for await (const [name, h] of dir.entries()) {
      const m = /^([0-9a-f]{64})\.json$/.exec(name);
      if (!m || h.kind !== 'file') continue;
      try {
        const meta = JSON.parse(await (await h.getFile()).text());
        out.push({ sha256: m[1], name: meta.name, size: meta.size });
      } catch { /* a half-written entry: ignored */ }
    }
    return out;
  }
  async function postStored() {
    postMessage({ type: 'model-stored', models: await listStored() });
  }
  async function removeEntries(dir, keep) {
    for await (const [name] of dir.entries()) if (name !== keep) await dir.removeEntry(name);
  }
  // A writer that copies the chunks of a picked file into OPFS, or null.
  async function storeWriter() {
    try {
      const dir = await modelsDir();
      if (!dir) return null;
      await removeEntries(dir); // one stored model at a time
      const fh = await dir.getFileHandle('incoming.part', { create: true });
      const h = await fh.createSyncAccessHandle();
      h.truncate(0);
      return {
        write: (chunk, at) => h.write(chunk, { at }),
        async commit(sha, name, size) {
          h.flush();
          h.close();
          await fh.move(sha + '.gguf');
          const meta = await (await dir.getFileHandle(sha + '.json', { create: true })).createSyncAccessHandle();
          const bytes = new TextEncoder().encode(JSON.stringify({ name, size }));
          meta.truncate(0);
          meta.write(bytes, { at: 0 });
          meta.flush();
          meta.close();
        },
        async abort() {
          try { h.close(); } catch { /* already closed */ }
          await dir.removeEntry('incoming.part').catch(() => {});
        },
      };
    } catch {
      return null; // no OPFS (or no room): the model still loads
    }
  }

  async function loadStored(sha) {
    const dir = await modelsDir();
    const meta = JSON.parse(await (await (await dir.getFileHandle(sha + '.json')).getFile()).text());
    const file = await (await dir.getFileHandle(sha + '.gguf')).getFile();
    await load(file, { sha, name: meta.name });
  }

  async function load(file, stored) {
    loaded = null;
    const t0 = performance.now();
    const name0 = stored ? stored.name : file.name;
    const begin = json(M._cs_web_model_begin(file.size));
    if (!begin.ok) {
      const mb = (x) => Math.round(x / (1 << 20));
      postMessage({ type: 'model-error', id: null, stage: 'load', code: begin.code, message: begin.error +
        (begin.heap_max ? ' (' + name0 + ' needs about ' + mb(begin.needed) + ' MB, this build can use at most ' +
          mb(begin.heap_max) + ' MB)' : '') });
      return;
    }
    let off = 0, lastPost = 0;
    const progress = (force) => {
      const now = performance.now();
      if (!force && now - lastPost < 100) return;
      lastPost = now;
      postMessage({ type: 'model-progress', loaded: off, total: file.size, tensors_ready: M._cs_web_model_ready(),
        header: (M._cs_web_model_room() >>> 0) > 0 || off === file.size });
    };
    const writer = stored ? null : await storeWriter();
    const fail = async (message) => {
      M._cs_web_model_unload();
      if (writer) await writer.abort();
      postMessage({ type: 'model-error', id: null, stage: 'load', message });
    };
    progress(true);
    while (off < file.size) {
      let room = M._cs_web_model_room() >>> 0;
      const want = room ? Math.min(CHUNK, room) : HEADER_CHUNK;
      const chunk = new Uint8Array(await file.slice(off, Math.min(file.size, off + want)).arrayBuffer());
      if (!chunk.length) return fail('the file could not be read');
      if (writer) writer.write(chunk, off);
      if (room) {
        // Zero-copy: the chunk goes straight to the model's buffer.
        M.HEAPU8.set(chunk, M._cs_web_model_tail() >>> 0);
        if (M._cs_web_model_commit(chunk.length) !== 0) return fail(lastError());
      } else {
        const p = toHeap(chunk);
        const rc = M._cs_web_model_feed(p, chunk.length);
        M._cs_web_free(p);
        if (rc !== 0) return fail(lastError());
      }
      off += chunk.length;
      progress(false);
    }
    progress(true);
    const name = cstr(name0);
    let info;
    try {
      info = json(M._cs_web_model_finish(name));
    } finally {
      M._cs_web_free(name);
    }
    if (!info.ok) return fail(info.error);
    if (stored && info.sha256 !== stored.sha) {
      // The stored copy changed since it was written: never run it.
      M._cs_web_model_unload();
      const dir = await modelsDir();
      await removeEntries(dir);
      await postStored();
      postMessage({ type: 'model-error', id: null, stage: 'load',
        message: 'the stored model failed verification (its SHA-256 changed) and was deleted' });
      return;
    }
    let kept = false;
    if (writer) {
      try {
        await writer.commit(info.sha256, name0, file.size);
        kept = true;
      } catch {
        await writer.abort();
      }
      await postStored();
    }
    loaded = info;
    if (self.ClinsumAudit) self.ClinsumAudit.modelLoaded(info);
    postMessage({ type: 'model-loaded', info, ms: performance.now() - t0, stored: kept, verified: !!stored });
  }

  function summarize(msg) {
    const { id, style, max_tokens, stop } = msg;
    const doc = self.clinsumLastDocument;
    if (!loaded || !doc || doc.id !== id) {
      postMessage({ type: 'model-error', id, stage: 'summarize', message: loaded ? 'no document' : 'no model loaded' });
      return;
    }
    const flag = stop ? new Int32Array(stop) : null;
    M.onModelToken = (ptr, len) => {
      postMessage({ type: 'model-token', id, text: new TextDecoder().decode(M.HEAPU8.slice(ptr, ptr + len)) });
      return flag && Atomics.load(flag, 0) ? 1 : 0;
    };
    const data = toHeap(new Uint8Array(doc.bytes));
    const st = cstr(style || '');
    let r;
    try {
      r = json(M._cs_web_summarize_model(data, doc.bytes.byteLength, st, max_tokens || 0));
    } finally {
      M.onModelToken = null;
      M._cs_web_free(data);
      M._cs_web_free(st);
    }
    if (!r.ok) {
      postMessage({ type: 'model-error', id, stage: 'summarize', message: r.error, code: r.code,
        cancelled: r.code === CS_ERR_CANCELLED });
      return;
    }
    postMessage({ type: 'model-summary', id, markdown: r.markdown, json: r.json, model: r.model, parts: r.parts, ms: r.ms });
  }

  function generate(msg) {
    const bytes = new TextEncoder().encode(msg.text || '');
    const p = toHeap(bytes);
    let r;
    try {
      r = json(M._cs_web_model_generate(p, bytes.length, msg.n || 32));
    } finally {
      M._cs_web_free(p);
    }
    if (!r.ok) postMessage({ type: 'model-error', id: null, stage: 'generate', message: r.error, code: r.code });
    else postMessage({ type: 'model-generated', ids: r.ids, text: r.text });
  }

  function bench(msg) {
    const r = json(M._cs_web_model_bench(msg.n_prompt || 512, msg.n_gen || 128));
    if (!r.ok) postMessage({ type: 'model-error', id: null, stage: 'bench', message: r.error, code: r.code });
    else postMessage({ type: 'model-bench', result: r });
  }

  async function handle(msg) {
    try {
      if (msg.type === 'model-load') await load(msg.file, null);
      else if (msg.type === 'model-load-stored') await loadStored(msg.sha256);
      else if (msg.type === 'model-clear') { const d = await modelsDir(); if (d) await removeEntries(d); await postStored(); }
      else if (msg.type === 'model-summarize') summarize(msg);
      else if (msg.type === 'model-generate') generate(msg);
      else if (msg.type === 'model-bench') bench(msg);
      else if (msg.type === 'model-unload') { M._cs_web_model_unload(); loaded = null; }
    } catch (e) {
      postMessage({ type: 'model-error', id: msg.id === undefined ? null : msg.id,
        stage: msg.type === 'model-load-stored' ? 'load' : msg.type.replace('model-', ''), message: String(e && e.message || e) });
    }
  }

  addEventListener('message', (e) => {
    const msg = e.data || {};
    if (typeof msg.type !== 'string' || !msg.type.startsWith('model-')) return;
    if (M) handle(msg);
    else waiting.push(msg);
  });
})();
