// audit.mjs: the browser's audit log end to end in Debian's chromium, driven
// by playwright-core.  Run by tests/browser/run.sh after e2e.mjs:
//
//   node audit.mjs --clinsum BIN --web DIR --artifacts DIR --playwright DIR DOC...
//
// Serves the page with `clinsum serve`, processes each DOC, and checks:
//   - the log view lists the document's events (document_opened with the
//     file's SHA-256, parsed with the native section count, redacted with the
//     native counts, summary_produced, a signed checkpoint) and the page's
//     requests as network events, origin only; a request the CSP blocks is
//     recorded as blocked;
//   - after a reload the log is still there and continues the chain (the
//     sequence numbers go on, the chain verifies);
//   - a summary download is recorded as exported;
//   - the Export button downloads clinsum-audit-<date>.zip, which an
//     independent reader opens, whose audit.jsonl verifies with the native
//     `clinsum audit verify` against the browser's key, whose egress
//     attestation names the page's CSP and the served module (by SHA-256)
//     with no network imports, and which contains none of the documents'
//     identifiers;
//   - the browser's storage (OPFS, IndexedDB, localStorage) holds only the
//     four audit files and no identifier; the stored log extends the
//     exported one byte for byte;
//   - an edit to the stored log is reported by the page after a reload,
//     naming the event.
// Screenshots go to the artifacts directory (audit-*.png).  Prints
// ok:/FAIL: lines; exits 1 on any FAIL.
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { playwright, serve, launchChromium, hasToken, checker } from './harness.mjs';

const args = { docs: [] };
for (let i = 2; i < process.argv.length; i++) {
  const a = process.argv[i];
  if (a.startsWith('--')) args[a.slice(2)] = process.argv[++i];
  else args.docs.push(a);
}
const { chromium } = playwright(args.playwright);

const t0 = Date.now();
const { check, failures } = checker('audit: ');
const native = (...a) => execFileSync(args.clinsum, a, { encoding: 'utf8', maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'pipe'] });
const sha256 = (b) => crypto.createHash('sha256').update(b).digest('hex');
fs.mkdirSync(args.artifacts, { recursive: true });
const shot = (page, name) => page.screenshot({ path: path.join(args.artifacts, 'audit-' + name + '.png'), fullPage: true });
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'clinsum-audit-e2e-'));

// The identifiers a document holds: its header identity (`clinsum parse`)
// and every span the page highlighted.
function headerIdentifiers(doc) {
  const id = JSON.parse(native('parse', doc, '--json')).identity || {};
  return [...(id.names || []), ...(id.identifiers || []), ...(id.telecoms || []), ...(id.birth_dates || []),
    ...(id.addresses || [])];
}

// Unzips with python3's zipfile, else Info-ZIP's unzip.
function unzip(zip, dir) {
  try {
    execFileSync('python3', ['-m', 'zipfile', '-t', zip], { stdio: 'ignore' });
    execFileSync('python3', ['-m', 'zipfile', '-e', zip, dir], { stdio: 'ignore' });
    return 'python3 zipfile';
  } catch {
    execFileSync('unzip', ['-tq', zip], { stdio: 'ignore' });
    execFileSync('unzip', ['-q', zip, '-d', dir], { stdio: 'ignore' });
    return 'unzip';
  }
}

// The rows of the log view: {seq, type, details}.
const rows = (page) => page.$$eval('#audit-table tbody tr', (trs) => trs.map((tr) => ({
  seq: Number(tr.cells[0].textContent), type: tr.dataset.type, details: tr.cells[3].textContent,
  ms: Date.parse(tr.cells[1].textContent.replace(' ', 'T') + 'Z'),
  parts: tr.cells[3].textContent.split(', '),
  title: [...tr.cells[3].querySelectorAll('[title]')].map((s) => s.title).join(' '),
})));
const lastSeq = (page) => page.$eval('#audit', (s) => Number(s.dataset.lastSeq || 0));

// Waits until the log view has reached at least seq n and says intact.
async function logAt(page, n) {
  await page.waitForFunction((k) => {
    const s = document.getElementById('audit');
    return s && Number(s.dataset.lastSeq || 0) >= k && document.getElementById('audit-status').dataset.intact === 'true';
  }, n, { timeout: 20000 });
}

// Everything the origin stored, file by file / record by record, read under
// the app's Web Lock so no append is caught half-written.
async function dumpStores(page) {
  return page.evaluate(() => navigator.locks.request('clinsum-audit', async () => {
    const out = { files: {}, idb: '', local: JSON.stringify({ ...localStorage }) };
    async function walk(dir, prefix) {
      for await (const [name, h] of dir.entries()) {
        if (h.kind === 'file') out.files[prefix + name] = await (await h.getFile()).text();
        else await walk(h, prefix + name + '/');
      }
    }
    await walk(await navigator.storage.getDirectory(), '/');
    for (const { name } of (indexedDB.databases ? await indexedDB.databases() : [])) {
      const db = await new Promise((res, rej) => { const r = indexedDB.open(name); r.onsuccess = () => res(r.result); r.onerror = () => rej(r.error); });
      for (const st of db.objectStoreNames) {
        const all = await new Promise((res) => { const r = db.transaction(st).objectStore(st).getAll(); r.onsuccess = () => res(r.result); r.onerror = () => res([]); });
        out.idb += name + '/' + st + ': ' + JSON.stringify(all.map((v) => (v instanceof ArrayBuffer ? new TextDecoder().decode(v) : v))) + '\n';
      }
      db.close();
    }
    return out;
  }));
}

// Waits until the view has at least n rows of `type` whose details contain
// `part`, and says intact.
async function waitRows(page, type, part, n = 1) {
  await page.waitForFunction(([t, p, k]) => {
    const trs = [...document.querySelectorAll('#audit-table tbody tr')].filter((tr) =>
      tr.dataset.type === t && (!p || tr.cells[3].textContent.includes(p)));
    return trs.length >= k && document.getElementById('audit-status').dataset.intact === 'true';
  }, [type, part, n], { timeout: 20000 });
}

// Processes a document and waits until its events are in the view: the
// n-th document_opened and a checkpoint after it.  Returns those rows (the
// network events in between left out).
async function processDoc(page, doc) {
  const base = path.basename(doc);
  // The view must hold the stored log before its documents are counted.
  await page.waitForFunction(() => document.getElementById('audit') && document.getElementById('audit').dataset.lastSeq,
    null, { timeout: 20000 });
  const n = (await rows(page)).filter((x) => x.type === 'document_opened').length + 1;
  await page.setInputFiles('#file', doc);
  await page.waitForFunction((name) => ['done', 'error'].includes(document.body.dataset.state) &&
    document.getElementById('doc-meta').textContent.startsWith(name), base, { timeout: 60000 });
  await page.waitForFunction((k) => {
    const t = [...document.querySelectorAll('#audit-table tbody tr')].map((tr) => tr.dataset.type);
    const at = t.reduce((acc, x, i) => (x === 'document_opened' ? [...acc, i] : acc), [])[k - 1];
    return at !== undefined && t.indexOf('checkpoint', at) > at;
  }, n, { timeout: 20000 });
  const all = await rows(page);
  const at = all.findIndex((x, i) => x.type === 'document_opened' && all.slice(0, i + 1).filter((y) => y.type === 'document_opened').length === n);
  const end = all.findIndex((x, i) => i > at && x.type === 'checkpoint');
  const events = all.slice(at, end + 1).filter((x) => x.type !== 'network');
  const marks = await page.$$eval('#text mark.phi', (ms) => ms.map((m) => m.textContent));
  return { base, events, marks };
}

const server = await serve(args.clinsum, args.web);
const origin = new URL(server.url).origin;
const browser = await launchChromium(chromium);
let exitCode = 1;
try {
  const context = await browser.newContext({ acceptDownloads: true });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (process.env.E2E_DEBUG) console.log('console: ' + m.text()); });

  await page.goto(server.url);
  await page.waitForFunction(() => document.body.dataset.state === 'ready', null, { timeout: 30000 });
  await logAt(page, 1);
  check('a new browser starts a log that verifies', /intact/.test(await page.textContent('#audit-status')));

  // ------------------------------------------------------------ documents
  const identifiers = new Set();
  for (const doc of args.docs) {
    const { base, events: r, marks } = await processDoc(page, doc);
    const bytes = fs.readFileSync(doc);
    const parsed = JSON.parse(native('parse', doc, '--json'));
    const counts = JSON.parse(native('summarize', doc, '--extractive', '--format', 'json')).redaction || {};
    for (const s of [...headerIdentifiers(doc), ...marks]) if (s.length >= 4) identifiers.add(s);
    const kinds = r.map((x) => x.type);
    check(`${base}: the log view shows document_opened, parsed, redacted, summary_produced, checkpoint`,
      JSON.stringify(kinds) === JSON.stringify(['document_opened', 'parsed', 'redacted', 'summary_produced', 'checkpoint']),
      kinds.join(' '));
    const opened = r.find((x) => x.type === 'document_opened');
    check(`${base}: document_opened holds the file's SHA-256 and size`,
      opened && opened.title.includes(sha256(bytes)) && opened.parts.includes('size ' + bytes.length));
    const p = r.find((x) => x.type === 'parsed');
    check(`${base}: parsed holds the native section count (${parsed.sections.length})`,
      p && p.parts.includes('sections ' + parsed.sections.length));
    const red = r.find((x) => x.type === 'redacted');
    const want = Object.entries(counts).map(([c, n]) => 'n_' + c.toLowerCase() + ' ' + n);
    check(`${base}: redacted holds the native counts per category`, red && want.every((w) => red.parts.includes(w)),
      red && red.details);
  }
  const viewText = await page.textContent('#audit');
  const inView = [...identifiers].filter((s) => hasToken(viewText, s));
  check(`the log view shows none of ${identifiers.size} identifiers`, inView.length === 0, inView.length + ' shown');

  // ------------------------------------------------------------ network
  let r = await rows(page);
  // The requests of the page load are queued and appended back to back:
  // their timestamps give the cost of one append in the worker (C call,
  // Web Lock, OPFS write-back, view update).
  const burst = r.filter((x) => x.type === 'network' && x.seq <= 15);
  if (burst.length >= 5) {
    const each = (burst[burst.length - 1].ms - burst[0].ms) / (burst.length - 1);
    console.log(`figure: audit: ${burst.length} appends at page load, ${each.toFixed(1)} ms each (C call + OPFS write-back + view)`);
  }
  const net = r.filter((x) => x.type === 'network');
  check(`the page's and the worker's requests are logged (${net.length}), by origin only`,
    net.length >= 5 && net.every((x) => x.details === 'origin ' + origin + ', action made'),
    net.map((x) => x.details).filter((d) => d !== 'origin ' + origin + ', action made').join('; '));
  await page.evaluate(() => { const i = new Image(); i.src = 'http://192.0.2.1/pixel.png?patient=x'; });
  await waitRows(page, 'network', 'origin http://192.0.2.1, action blocked');
  r = await rows(page);
  check('a request the CSP blocked is logged as blocked, origin only',
    r.some((x) => x.type === 'network' && x.details === 'origin http://192.0.2.1, action blocked'));

  // ------------------------------------------------------------ reload
  let seq = await lastSeq(page);
  const firstRows = r.length;
  await shot(page, 'before-reload');
  await page.reload();
  await page.waitForFunction(() => document.body.dataset.state === 'ready', null, { timeout: 30000 });
  await logAt(page, seq + 1);
  r = await rows(page);
  check(`after a reload the log is still there (${firstRows} events) and continues at seq ${seq + 1}`,
    r.length > firstRows && r[0].seq === 1 && r.slice(0, seq).every((x, i) => x.seq === i + 1) &&
    r.some((x) => x.type === 'document_opened') && (await lastSeq(page)) > seq);
  check('after a reload the chain verifies', /intact/.test(await page.textContent('#audit-status')));
  await shot(page, 'after-reload');

  // A document after the reload, and its summary downloaded.
  const again = await processDoc(page, args.docs[0]);
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#download-md')]);
  await waitRows(page, 'exported', 'what summary');
  const md = fs.readFileSync(await dl.path());
  r = await rows(page);
  check(`${again.base} after the reload: its events continue the chain`, r.filter((x) => x.type === 'document_opened').length === args.docs.length + 1);
  check('a summary download is logged as exported, with its SHA-256',
    r.some((x) => x.type === 'exported' && x.details.includes('what summary') && x.title.includes(sha256(md))));

  // ------------------------------------------------------------ two tabs
  // A second tab shares the stored log (under a Web Lock, re-reading what
  // the other appended): the first tab then continues after its events.
  const page2 = await context.newPage();
  await page2.goto(server.url);
  await page2.waitForFunction(() => document.body.dataset.state === 'ready', null, { timeout: 30000 });
  const opened1 = (await rows(page)).filter((x) => x.type === 'document_opened').length;
  await processDoc(page2, args.docs[args.docs.length - 1]);
  await page.evaluate(() => { const i = new Image(); i.src = 'http://192.0.2.2/second.png'; });
  await waitRows(page, 'network', 'origin http://192.0.2.2');
  r = await rows(page);
  check('a second tab appends to the same log and the first continues after it, one intact chain',
    r.filter((x) => x.type === 'document_opened').length === opened1 + 1 &&
    r.every((x, i) => x.seq === i + 1) && /intact/.test(await page.textContent('#audit-status')),
    `${r.filter((x) => x.type === 'document_opened').length} documents (was ${opened1}), seqs ` +
    r.map((x) => x.seq).join(',') + '; ' + await page.textContent('#audit-status'));
  await page2.close();

  // ------------------------------------------------------------ export
  const [zdl] = await Promise.all([page.waitForEvent('download'), page.click('#audit-export')]);
  const zipName = zdl.suggestedFilename();
  const zip = path.join(tmp, zipName);
  await zdl.saveAs(zip);
  check('Export downloads clinsum-audit-<date>.zip', /^clinsum-audit-\d{4}-\d\d-\d\d\.zip$/.test(zipName), zipName);
  const ex = path.join(tmp, 'bundle');
  fs.mkdirSync(ex);
  const reader = unzip(zip, ex);
  const files = fs.readdirSync(ex).sort();
  check(`${reader} opens it: the seven bundle files`, JSON.stringify(files) === JSON.stringify(
    ['audit-ed25519.pub', 'audit.jsonl', 'audit.jsonl.seal', 'egress.json', 'manifest.json', 'report.html', 'verification.json']),
  files.join(' '));
  await waitRows(page, 'exported', 'what audit_bundle');
  const stores = await dumpStores(page);
  const pub = path.join(tmp, 'browser.pub');
  fs.writeFileSync(pub, stores.files['/clinsum-audit/audit-ed25519.pub'] || '');
  let verified = '';
  try { verified = native('audit', 'verify', path.join(ex, 'audit.jsonl'), '--key', pub); } catch (e) { verified = String(e.stdout || e); }
  check('the exported audit.jsonl verifies with the native `clinsum audit verify` against the browser\'s key',
    /intact: \d+ events/.test(verified) && /trusted/.test(verified), verified.trim());
  const egress = JSON.parse(fs.readFileSync(path.join(ex, 'egress.json'), 'utf8'));
  const meta = await page.$eval('meta[http-equiv="Content-Security-Policy"]', (m) => m.content);
  check('egress: the CSP in the bundle is the page\'s', egress.content_security_policy === meta);
  const served = fs.readFileSync(path.join(args.web, 'clinsum_web.wasm'));
  check('egress: the served module (by SHA-256) has no network imports, its glue resolves them all',
    egress.wasm_module.checked && egress.wasm_module.sha256 === sha256(served) && egress.wasm_module.network_imports === 0 &&
    egress.no_network_capability === true, JSON.stringify({ ...egress.wasm_module, imports: undefined }));
  const bundleText = files.map((f) => fs.readFileSync(path.join(ex, f), 'latin1')).join('\n');
  const inBundle = [...identifiers].filter((s) => hasToken(bundleText, s));
  check(`the bundle contains none of ${identifiers.size} identifiers`, inBundle.length === 0, inBundle.length + ' found');
  r = await rows(page);
  // (The worker's re-reads of the module for the attestation are logged
  // as network events around it.)
  const xb = r.findIndex((x) => x.type === 'exported' && x.parts.includes('what audit_bundle'));
  const after = r.slice(xb + 1).find((x) => x.type !== 'network');
  check('the export itself is logged (what audit_bundle) and signed', xb >= 0 && after && after.type === 'checkpoint',
    r.slice(xb).map((x) => x.type).join(' '));

  // ------------------------------------------------------------ storage
  const names = Object.keys(stores.files).sort();
  check('OPFS holds only the four audit files', JSON.stringify(names) === JSON.stringify(
    ['/clinsum-audit/audit-ed25519.key', '/clinsum-audit/audit-ed25519.pub', '/clinsum-audit/audit.jsonl',
      '/clinsum-audit/audit.jsonl.seal']), names.join(' '));
  const stored = Object.values(stores.files).join('\n') + stores.idb + stores.local;
  const inStore = [...identifiers].filter((s) => hasToken(stored, s));
  check(`OPFS, IndexedDB and localStorage hold none of ${identifiers.size} identifiers`, inStore.length === 0,
    inStore.length + ' found');
  const exported = fs.readFileSync(path.join(ex, 'audit.jsonl'), 'utf8');
  const log = stores.files['/clinsum-audit/audit.jsonl'] || '';
  check('the stored log extends the exported one byte for byte (appends only)',
    log.length > exported.length && log.startsWith(exported));
  check('no page error', errors.length === 0, errors.join(' | ').slice(0, 300));
  await shot(page, 'exported');

  // ------------------------------------------------------------ crash
  // A tab killed mid-append leaves a torn last line in storage: the next
  // load cuts it, logs how many bytes it dropped, and the chain goes on.
  const torn = '{"v":1,"seq":' + (JSON.parse(log.trim().split('\n').pop()).seq + 1) + ',"time":"20';
  // (Under the app's Web Lock, as another writer would: the worker may be
  // appending the page's requests.)
  await page.evaluate((t) => navigator.locks.request('clinsum-audit', async () => {
    const dir = await (await navigator.storage.getDirectory()).getDirectoryHandle('clinsum-audit');
    const fh = await dir.getFileHandle('audit.jsonl');
    const w = await fh.createWritable({ keepExistingData: true });
    await w.write({ type: 'write', position: (await fh.getFile()).size, data: t });
    await w.close();
  }), torn);
  await page.reload();
  await page.waitForFunction(() => document.body.dataset.state === 'ready', null, { timeout: 30000 });
  await waitRows(page, 'recovered', 'torn_bytes');
  r = await rows(page);
  const rec = r.find((x) => x.type === 'recovered');
  const recovered = (await dumpStores(page)).files['/clinsum-audit/audit.jsonl'] || '';
  check(`a torn last line in storage (${torn.length} bytes) is cut on reload, logged as recovered, and the chain verifies`,
    rec && rec.parts.includes('torn_bytes ' + torn.length) && /intact/.test(await page.textContent('#audit-status')) &&
    !recovered.includes(torn + '{') && recovered.endsWith('\n'), rec && rec.details);

  // ------------------------------------------------------------ backends
  // The storage code's other paths, in the page: OPFS through a writable
  // stream (windows have no sync access handle) and the IndexedDB fallback,
  // each in a scratch folder / database removed afterwards.
  await page.addScriptTag({ url: 'audit-store.js' });
  const backends = await page.evaluate(async () => {
    const S = window.ClinsumAuditStore;
    const root = await navigator.storage.getDirectory();
    const dec = (b) => (b ? new TextDecoder().decode(b) : null);
    const enc = (t) => new TextEncoder().encode(t);
    const out = {};
    for (const [name, b] of [['opfs-writable', S.opfsBackend(await root.getDirectoryHandle('audit-selftest', { create: true }))],
      ['indexeddb', S.idbBackend(indexedDB, 'audit-selftest')]]) {
      await b.writeTail('f', 0, enc('abc\n'));
      await b.writeTail('f', 4, enc('def\n'));
      const appended = dec(await b.read('f'));
      await b.writeTail('f', 2, enc('X'));
      const cut = dec(await b.read('f'));
      await b.replace('g', enc('seal-1'));
      await b.replace('g', enc('s2'));
      out[name] = [appended, cut, dec(await b.read('g')), await b.read('missing')];
    }
    await root.removeEntry('audit-selftest', { recursive: true });
    await new Promise((res) => { const r = indexedDB.deleteDatabase('audit-selftest'); r.onsuccess = r.onerror = r.onblocked = res; });
    return out;
  });
  for (const [name, v] of Object.entries(backends))
    check(`storage backend ${name}: appends at an offset, cuts a tail, replaces whole files, reads absent as null`,
      JSON.stringify(v) === JSON.stringify(['abc\ndef\n', 'abX', 's2', null]), JSON.stringify(v));

  // ------------------------------------------------------------ tamper
  // Change one event in storage (the parsed event's section count), reload:
  // the page names it.
  const bad = await page.evaluate(() => navigator.locks.request('clinsum-audit', async () => {
    const dir = await (await navigator.storage.getDirectory()).getDirectoryHandle('clinsum-audit');
    const fh = await dir.getFileHandle('audit.jsonl');
    const lines = (await (await fh.getFile()).text()).split('\n');
    const k = lines.findIndex((l) => l.includes('"type":"parsed"'));
    lines[k] = lines[k].replace(/"sections":(\d+)/, (m, n) => '"sections":' + (Number(n) + 1));
    const w = await fh.createWritable();
    await w.write(lines.join('\n'));
    await w.close();
    return JSON.parse(lines[k]).seq;
  }));
  await page.reload();
  await page.waitForFunction(() => document.getElementById('audit-status') &&
    document.getElementById('audit-status').dataset.intact === 'false', null, { timeout: 20000 });
  const status = await page.textContent('#audit-status');
  check(`an edit to the stored log is reported after a reload, at event #${bad}`,
    status.includes('FAILED') && status.includes('#' + bad + ': modified'), status);
  await shot(page, 'tampered');
  exitCode = failures() ? 1 : 0;
} catch (e) {
  console.log('FAIL: audit: ' + (e && e.stack || e));
} finally {
  await browser.close();
  server.proc.kill('SIGTERM');
  fs.rmSync(tmp, { recursive: true, force: true });
}
console.log(`browser audit e2e: ${failures()} failed, ${((Date.now() - t0) / 1000).toFixed(1)} s`);
process.exit(exitCode);
