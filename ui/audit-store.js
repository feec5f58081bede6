/*
 * audit-store.js: keeps the audit log and its signing key in the browser's
 * persistent storage and mirrors them into the WASM module's in-memory file
 * system (MEMFS), where the C audit code (app/wasm_web_audit.c) reads and
 * appends them.  Runs in the worker (classic script: importScripts), and
 * under node for tests (module.exports).
 *
 * Storage: the Origin Private File System (navigator.storage.getDirectory(),
 * folder "clinsum-audit"), written with a synchronous access handle where
 * the browser has one (dedicated workers), else with a writable stream;
 * IndexedDB (database "clinsum-audit") when there is no OPFS.  It holds four
 * files and nothing else: audit.jsonl, audit.jsonl.seal, audit-ed25519.key,
 * audit-ed25519.pub.  The log holds hashes and counts only (the C writer
 * refuses anything else), so nothing here can store patient text.
 *
 * Crash safety: load() copies the stored files into MEMFS before the module
 * opens the log; sync(), called after every append, writes only what
 * changed: the log's new tail at its offset (then flush), never a rewrite,
 * and the small seal and key files each replaced as a whole.  The log goes
 * first, so a stored seal never names a checkpoint the stored log lacks.  A
 * tab killed mid-write leaves at most a torn last line; on the next load the
 * C code cuts it and logs a "recovered" event, and sync() then truncates the
 * stored copy at the same point before appending.
 *
 * Several tabs: each worker has its own MEMFS copy, so every operation runs
 * under one Web Lock (AuditStore.locked) and starts with refresh(), which
 * copies in what another tab appended; the C writer then sees the file grow
 * and continues the chain from the other tab's last event, as it does for
 * another process natively.
 *
 * Errors: load(), refresh() and sync() reject with the storage's own error
 * (quota, another tab holding the file); the caller reports it.  Not
 * re-entrant: one operation at a time (the worker chains them).
 */
'use strict';

(function (root) {
  const FOLDER = 'clinsum-audit';
  // Stored name -> path under the MEMFS directory.  Order matters in sync():
  // the log before its seal.
  const FILES = [
    { name: 'audit.jsonl', mem: 'audit.jsonl', append: true },
    { name: 'audit.jsonl.seal', mem: 'audit.jsonl.seal' },
    { name: 'audit-ed25519.key', mem: 'keys/audit-ed25519.key' },
    { name: 'audit-ed25519.pub', mem: 'keys/audit-ed25519.pub' },
  ];

  // Length of the longest common prefix of two byte arrays.
  function commonPrefix(a, b) {
    const n = Math.min(a.length, b.length);
    let i = 0;
    while (i < n && a[i] === b[i]) i++;
    return i;
  }

  class AuditStore {
    // backend: {read(name), size(name), writeTail(name, at, bytes),
    // replace(name, bytes)}
    // (opfsBackend, idbBackend or a test's); FS: the module's FS object.
    constructor(backend, FS, dir = '/audit') {
      this.backend = backend;
      this.FS = FS;
      this.dir = dir;
      this.saved = {}; // name -> bytes as last stored (null: not stored)
    }

    get logPath() { return this.dir + '/audit.jsonl'; }
    get keyDir() { return this.dir + '/keys'; }
    get backendName() { return this.backend.kind; }

    // Copies the stored files into MEMFS; returns whether a key was stored.
    async load() {
      for (const d of [this.dir, this.keyDir]) {
        try { this.FS.mkdir(d); } catch (e) { /* exists */ }
      }
      for (const f of FILES) {
        const bytes = await this.backend.read(f.name);
        this.saved[f.name] = bytes;
        if (bytes) this.FS.writeFile(this.dir + '/' + f.mem, bytes);
      }
      return !!this.saved['audit-ed25519.key'];
    }

    // Copies in the stored files that changed since this store last read or
    // wrote them (another tab's appends, checkpoints, a key it created).
    // Returns whether anything changed.
    async refresh() {
      let changed = false;
      for (const f of FILES) {
        const was = this.saved[f.name];
        if (f.append && was && (await this.backend.size(f.name)) === was.length) continue;
        const bytes = await this.backend.read(f.name);
        if (!bytes || (was && was.length === bytes.length && commonPrefix(was, bytes) === bytes.length)) continue;
        this.FS.writeFile(this.dir + '/' + f.mem, bytes);
        this.saved[f.name] = bytes;
        changed = true;
      }
      return changed;
    }

    // Runs fn with the store to itself: under a Web Lock shared by every tab
    // of the origin where the browser has them.
    static locked(fn) {
      const locks = root.navigator && root.navigator.locks;
      return locks ? locks.request(FOLDER, fn) : fn();
    }

    // Writes back what the module changed since the last load() or sync().
    // Returns the number of bytes written.
    async sync() {
      let written = 0;
      for (const f of FILES) {
        let now;
        try { now = this.FS.readFile(this.dir + '/' + f.mem); } catch (e) { continue; }
        const was = this.saved[f.name];
        if (was && was.length === now.length && commonPrefix(was, now) === now.length) continue;
        if (f.append) {
          const at = was ? commonPrefix(was, now) : 0;
          await this.backend.writeTail(f.name, at, now.subarray(at));
          written += now.length - at;
        } else {
          await this.backend.replace(f.name, now);
          written += now.length;
        }
        this.saved[f.name] = now.slice();
      }
      return written;
    }
  }

  // ------------------------------------------------------------ OPFS

  function opfsBackend(dir) {
    async function handle(name, create) {
      try {
        return await dir.getFileHandle(name, { create });
      } catch (e) {
        if (!create && e && e.name === 'NotFoundError') return null;
        throw e;
      }
    }
    return {
      kind: 'opfs',
      async read(name) {
        const fh = await handle(name, false);
        if (!fh) return null;
        return new Uint8Array(await (await fh.getFile()).arrayBuffer());
      },
      // -1 when absent; no bytes are read.
      async size(name) {
        const fh = await handle(name, false);
        return fh ? (await fh.getFile()).size : -1;
      },
      // Cuts the stored file to `at` bytes (a torn tail the module dropped)
      // and writes `bytes` there, durably, before resolving.
      async writeTail(name, at, bytes) {
        const fh = await handle(name, true);
        if (fh.createSyncAccessHandle) {
          const h = await fh.createSyncAccessHandle();
          try {
            if (h.getSize() !== at) h.truncate(at);
            let done = 0;
            while (done < bytes.length) done += h.write(bytes.subarray(done), { at: at + done });
            h.flush();
          } finally {
            h.close();
          }
        } else {
          const w = await fh.createWritable({ keepExistingData: true });
          await w.truncate(at);
          await w.write({ type: 'write', position: at, data: bytes });
          await w.close(); // commits atomically
        }
      },
      // A writable stream commits on close: readers see the old or the new file.
      async replace(name, bytes) {
        const fh = await handle(name, true);
        const w = await fh.createWritable();
        await w.write(bytes);
        await w.close();
      },
    };
  }

  // ------------------------------------------------------------ IndexedDB

  // dbName: FOLDER unless a test gives another.
  function idbBackend(indexedDB, dbName = FOLDER) {
    const open = new Promise((resolve, reject) => {
      const rq = indexedDB.open(dbName, 1);
      rq.onupgradeneeded = () => rq.result.createObjectStore('files');
      rq.onsuccess = () => resolve(rq.result);
      rq.onerror = () => reject(rq.error);
    });
    // One transaction per call: it commits completely or not at all.
    async function tx(fn) {
      const db = await open;
      return new Promise((resolve, reject) => {
        const t = db.transaction('files', 'readwrite');
        const store = t.objectStore('files');
        let result;
        fn(store, (v) => { result = v; });
        t.oncomplete = () => resolve(result);
        t.onerror = () => reject(t.error);
        t.onabort = () => reject(t.error);
      });
    }
    return {
      kind: 'indexeddb',
      read: (name) => tx((s, set) => {
        const rq = s.get(name);
        rq.onsuccess = () => set(rq.result ? new Uint8Array(rq.result) : null);
      }),
      size: (name) => tx((s, set) => {
        const rq = s.get(name);
        rq.onsuccess = () => set(rq.result ? rq.result.byteLength : -1);
      }),
      // Atomic but rewrites the file's record: IndexedDB has no partial write.
      writeTail: (name, at, bytes) => tx((s) => {
        const rq = s.get(name);
        rq.onsuccess = () => {
          const old = rq.result ? new Uint8Array(rq.result) : new Uint8Array(0);
          const next = new Uint8Array(at + bytes.length);
          next.set(old.subarray(0, at));
          next.set(bytes, at);
          s.put(next.buffer, name);
        };
      }),
      replace: (name, bytes) => tx((s) => { s.put(bytes.slice().buffer, name); }),
    };
  }

  // The OPFS folder when the browser has one, else IndexedDB.
  async function openBackend() {
    try {
      const rootDir = await root.navigator.storage.getDirectory();
      return opfsBackend(await rootDir.getDirectoryHandle(FOLDER, { create: true }));
    } catch (e) {
      return idbBackend(root.indexedDB);
    }
  }

  const api = { AuditStore, opfsBackend, idbBackend, openBackend, FILES, FOLDER, commonPrefix };
  if (typeof module === 'object' && module.exports) module.exports = api;
  else root.ClinsumAuditStore = api;
})(typeof self !== 'undefined' ? self : globalThis);
