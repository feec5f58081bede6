// e2e.mjs: the browser app end to end in Debian's chromium, driven by
// playwright-core (never a downloaded browser).  Run by tests/browser/run.sh:
//
//   node e2e.mjs --clinsum BIN --web DIR --artifacts DIR --playwright DIR
//                [--corpus DIR] DOC...
//
// Starts `clinsum serve` on a free port, opens the page, and for each DOC
// (plus, with --corpus, the first C-CDA file there whose narrative repeats
// its patient's name) chooses it in the file input and checks what the page
// shows against the native CLI on the same file (`clinsum parse --json`,
// `clinsum summarize --extractive --format json`): the sections, the
// identifiers highlighted per category, the redacted view, the summary, the
// downloaded Markdown and JSON, the copied text.  Every network request of
// the page and its worker is recorded: none may leave the origin, none may happen between choosing a document and
// its summary being complete, and no identifier of a document may appear in
// a request, in localStorage, sessionStorage, IndexedDB, the Cache API or
// the origin-private file system.  A self-test then plants each kind of
// violation and requires the checks to catch it.  Screenshots of every step
// go to the artifacts directory.  Prints ok:/FAIL:/skip: lines; exits 1 on
// any FAIL.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { playwright, serve, launchChromium, checker } from './harness.mjs';

const args = { docs: [] };
for (let i = 2; i < process.argv.length; i++) {
  const a = process.argv[i];
  if (a.startsWith('--')) args[a.slice(2)] = process.argv[++i];
  else args.docs.push(a);
}
// The patient's family names from a parsed header: the last word of each
// "Given Family" form (forms with a comma are "Family, Given").
function familyNames(identity) {
  const out = new Set();
  for (const n of (identity && identity.names) || []) {
    const w = n.split(' ');
    if (n.includes(',') || w.length < 2) continue;
    const last = w[w.length - 1];
    if (last.length >= 3 && !/^\d+$/.test(last)) out.add(last);
  }
  return [...out];
}

// The corpus document: the first C-CDA file (sorted) whose narrative repeats
// the patient's name from its header, so the name check has something to see.
function pickCorpusDocument(dir) {
  const files = fs.readdirSync(dir).filter((d) => d.startsWith('ccda')).sort().flatMap((d) =>
    fs.readdirSync(path.join(dir, d)).filter((f) => /\.xml$/i.test(f)).sort().map((f) => path.join(dir, d, f)));
  for (const f of files) {
    let j;
    try { j = JSON.parse(native('parse', f, '--json')); } catch { continue; }
    const text = j.sections.map((s) => s.text).join('\n');
    if (familyNames(j.identity).some((n) => wordRe(n).test(text))) return f;
  }
  return null;
}
const { chromium } = playwright(args.playwright);

const t0 = Date.now();
const { check, failures } = checker('');
const escapeRe = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const wordRe = (s) => new RegExp('(^|[^\\p{L}\\p{N}])' + escapeRe(s) + '($|[^\\p{L}\\p{N}])', 'u');
const native = (...a) => execFileSync(args.clinsum, a, { encoding: 'utf8', maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'ignore'] });
fs.rmSync(args.artifacts, { recursive: true, force: true });
fs.mkdirSync(args.artifacts, { recursive: true });
const scratch = fs.mkdtempSync(path.join(args.artifacts, '..', 'browser-e2e-'));
let shot = 0;
async function screenshot(page, name) {
  const file = path.join(args.artifacts, String(++shot).padStart(2, '0') + '-' + name + '.png');
  await page.screenshot({ path: file, fullPage: true });
}

// ---------------------------------------------------------------- checks
// Pure functions over what was recorded, so the self-test can feed them
// planted violations.

// Requests whose origin is not the page's (blob: URLs carry their creator's
// origin; data: URLs are not requests to anyone).
function offOrigin(requests, origin) {
  return requests.filter((r) => {
    if (r.url.startsWith('data:')) return false;
    const u = new URL(r.url.startsWith('blob:') ? r.url.slice(5) : r.url);
    return u.origin !== origin;
  });
}
// Requests made while a document was being processed.
function duringProcessing(requests) {
  return requests.filter((r) => r.phase.startsWith('processing'));
}
// [identifier, where] for every identifier found in a request or a store.
function leaks(identifiers, requests, stores) {
  const found = [];
  for (const id of identifiers) {
    const enc = [id, encodeURIComponent(id), id.replace(/ /g, '+')];
    for (const r of requests) {
      const hay = decodeSafe(r.url) + '\n' + r.url + '\n' + (r.body || '');
      if (enc.some((e) => hay.includes(e))) found.push([id, 'request ' + where(r.url)]);
    }
    // As a token: the stores hold the audit log's hex digests, inside which
    // a short all-digit identifier (a ZIP code) turns up by chance.
    for (const [where, text] of Object.entries(stores))
      if (wordRe(id).test(text)) found.push([id, where]);
  }
  return found;
}
// A request named without its query or body (they may hold document text).
function where(url) {
  try { const u = new URL(url); return u.origin + u.pathname; } catch { return url.slice(0, 40); }
}
function decodeSafe(u) { try { return decodeURIComponent(u); } catch { return u; } }

// Everything the page stored that it could read back: localStorage,
// sessionStorage, every IndexedDB record, Cache API entries, OPFS files.
async function dumpStores(page) {
  return page.evaluate(async () => {
    const out = {};
    const kv = (s) => JSON.stringify(Object.fromEntries(Object.keys(s).map((k) => [k, s.getItem(k)])));
    out.localStorage = kv(localStorage);
    out.sessionStorage = kv(sessionStorage);
    const dbs = indexedDB.databases ? await indexedDB.databases() : [];
    let idb = '';
    for (const { name } of dbs) {
      const db = await new Promise((res, rej) => { const r = indexedDB.open(name); r.onsuccess = () => res(r.result); r.onerror = () => rej(r.error); });
      for (const store of db.objectStoreNames) {
        const all = await new Promise((res) => { const r = db.transaction(store).objectStore(store).getAll(); r.onsuccess = () => res(r.result); r.onerror = () => res([]); });
        idb += name + '/' + store + ': ' + JSON.stringify(all) + '\n';
      }
      db.close();
    }
    out.indexedDB = idb;
    let caches_ = '';
    if (self.caches) for (const k of await caches.keys()) {
      const c = await caches.open(k);
      for (const req of await c.keys()) caches_ += req.url + ' ' + await (await c.match(req)).text() + '\n';
    }
    out.cacheStorage = caches_;
    let opfs = '';
    async function walk(dir, prefix) {
      for await (const [name, h] of dir.entries()) {
        if (h.kind === 'file') opfs += prefix + name + ': ' + await (await h.getFile()).text() + '\n';
        else await walk(h, prefix + name + '/');
      }
    }
    try { await walk(await navigator.storage.getDirectory(), '/'); } catch (e) { opfs += 'unreadable: ' + e; }
    out.opfs = opfs;
    return out;
  });
}

// ---------------------------------------------------------------- one document
async function checkDocument(page, rec, doc) {
  const base = path.basename(doc);
  const expect = JSON.parse(native('parse', doc, '--json'));
  const summary = JSON.parse(native('summarize', doc, '--extractive', '--format', 'json'));
  console.log(`# ${base}: ${expect.format}, ${expect.sections.length} sections`);

  rec.phase = 'processing ' + base;
  const before = rec.requests.length;
  const started = Date.now();
  await page.setInputFiles('#file', doc);
  await page.waitForFunction((name) => document.body.dataset.state === 'done' &&
    document.getElementById('doc-meta').textContent.startsWith(name) || document.body.dataset.state === 'error', base,
    { timeout: 60000 });
  rec.phase = 'after ' + base;
  const ms = Date.now() - started;
  const state = await page.evaluate(() => document.body.dataset.state);
  if (!check(`${base}: processed (${ms} ms)`, state === 'done', await page.textContent('#status'))) return [];
  const during = rec.requests.slice(before).filter((r) => r.phase.startsWith('processing'));
  check(`${base}: no network request between choosing the file and the summary`, during.length === 0,
    during.map((r) => where(r.url)).join(', '));
  await screenshot(page, base + '-original');

  // Sections: the titles `clinsum parse` finds, in order.
  const titles = await page.$$eval('#sections li a', (as) => as.map((a) => a.textContent));
  check(`${base}: the ${expect.sections.length} sections are listed`,
    JSON.stringify(titles) === JSON.stringify(expect.sections.map((s) => s.title || '(untitled)')),
    titles.length + ' shown');

  // Identifiers: highlighted marks per category = the table = the pipeline's counts.
  const marks = await page.$$eval('#text .section-text mark.phi', (ms) => ms.map((m) => [m.dataset.category, m.textContent]));
  const table = Object.fromEntries(await page.$$eval('#counts tbody tr', (trs) =>
    trs.map((tr) => [tr.querySelector('.swatch').textContent, Number(tr.querySelector('td').textContent)])));
  const byCat = {};
  for (const [c] of marks) byCat[c] = (byCat[c] || 0) + 1;
  const nativeCounts = summary.redaction || {};
  const mismatch = Object.keys({ ...nativeCounts, ...table }).filter((c) =>
    (nativeCounts[c] || 0) !== (table[c] || 0) || (byCat[c] || 0) !== (table[c] || 0));
  check(`${base}: ${marks.length} identifiers highlighted, per category as \`clinsum summarize\` counts them`,
    mismatch.length === 0, mismatch.map((c) => `${c}: native ${nativeCounts[c] || 0}, table ${table[c] || 0}, marks ${byCat[c] || 0}`).join('; '));
  const cats = new Set(await page.$$eval('#text mark.phi', (ms) => ms.map((m) => getComputedStyle(m).backgroundColor + getComputedStyle(m).textDecorationStyle)));
  check(`${base}: each highlighted category has its own style`, cats.size === Object.keys(byCat).length, cats.size + ' styles');

  // The patient's name from the header, where the narrative repeats it.
  const headerNames = (expect.identity ? expect.identity.names : []).filter((n) => n.length >= 4 && !n.includes(','));
  const sectionTexts = () => page.$$eval('#text .section-text', (els) => els.map((e) => e.textContent).join('\n'));
  const originalText = await sectionTexts();
  const inText = familyNames(expect.identity).filter((n) => wordRe(n).test(originalText));
  const nameMarks = marks.filter(([c]) => c === 'NAME').map(([, t]) => t);
  if (inText.length)
    check(`${base}: the patient's name from the header (${inText.join(', ')}) is highlighted`,
      inText.every((n) => nameMarks.some((t) => wordRe(n).test(t))), inText.filter((n) => !nameMarks.some((t) => wordRe(n).test(t))).length + ' not');
  else console.log(`note: ${base}: the header's patient name does not occur in the narrative`);

  // Redacted view: no highlighted name, and no header name, is left.
  await page.check('input[name="view"][value="redacted"]');
  const redacted = await sectionTexts();
  const left = [...new Set([...nameMarks.filter((t) => t.length >= 3), ...inText])].filter((t) => wordRe(t).test(redacted));
  check(`${base}: the redacted view shows none of the ${new Set(nameMarks).size} names`, left.length === 0, left.length + ' left');
  const masks = await page.$$eval('#text .mask', (ms) => ms.length);
  check(`${base}: the redacted view shows a mask per identifier`, masks >= marks.length, `${masks} masks, ${marks.length} marks`);
  await screenshot(page, base + '-redacted');
  await page.check('input[name="view"][value="original"]');

  // Summary: the text, then both downloads.
  const shown = await page.textContent('#summary');
  const firstItem = (summary.summary.match(/^- (.+)$/m) || [, ''])[1];
  check(`${base}: the summary is shown`, shown.length > 20 && shown.includes(firstItem));
  const inSummary = [...new Set([...nameMarks, ...inText])].filter((t) => t.length >= 3 && wordRe(t).test(shown));
  check(`${base}: the summary shows none of the names (it is made from the redacted text)`, inSummary.length === 0,
    inSummary.length + ' shown');
  rec.phase = 'download ' + base;
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#download-md')]);
  const md = fs.readFileSync(await dl.path(), 'utf8');
  check(`${base}: the downloaded Markdown holds the summary \`clinsum summarize --extractive\` writes`,
    dl.suggestedFilename().endsWith('.md') && md.includes(summary.summary.trim()));
  await page.click('#copy-md');
  await page.waitForFunction(() => /copied|refused/.test(document.getElementById('status').textContent));
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  check(`${base}: Copy puts the downloaded Markdown on the clipboard`, copied === md);
  const [dj] = await Promise.all([page.waitForEvent('download'), page.click('#download-json')]);
  let json = null;
  try { json = JSON.parse(fs.readFileSync(await dj.path(), 'utf8')); } catch { /* checked below */ }
  check(`${base}: the downloaded JSON has the same summary and redaction counts`,
    json && json.summary === summary.summary && JSON.stringify(json.redaction) === JSON.stringify(summary.redaction));
  rec.phase = 'after ' + base;
  await screenshot(page, base + '-summary');

  const ids = [...new Set([...headerNames, ...(expect.identity ? [...expect.identity.identifiers, ...expect.identity.telecoms, ...expect.identity.birth_dates] : []),
    ...marks.map(([, t]) => t)])].filter((s) => s.length >= 4);
  return ids;
}

// ---------------------------------------------------------------- main
if (args.corpus) {
  const f = pickCorpusDocument(args.corpus);
  if (f) args.docs.push(f);
  else console.log('skip: no C-CDA document of the corpus repeats its patient\'s name; none checked');
}
const server = await serve(args.clinsum, args.web);
const origin = new URL(server.url).origin;
check('clinsum serve listens on 127.0.0.1', new URL(server.url).hostname === '127.0.0.1', server.url);
const browser = await launchChromium(chromium);
let exitCode = 1;
try {
  const context = await browser.newContext({ acceptDownloads: true });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url.replace(/\/$/, '') });
  const page = await context.newPage();
  const rec = { phase: 'load', requests: [], seen: new Set(), csp: [], errors: [] };
  const record = (r) => {
    if (rec.seen.has(r)) return;
    rec.seen.add(r);
    rec.requests.push({ url: r.url(), method: r.method(), body: r.postData() || '', phase: rec.phase });
  };
  context.on('request', record);
  page.on('request', record);
  page.on('websocket', (ws) => rec.requests.push({ url: ws.url(), method: 'WS', body: '', phase: rec.phase }));
  page.on('console', (m) => { if (process.env.E2E_DEBUG) console.log('console: ' + m.type() + ' ' + m.text()); if (/Content Security Policy/i.test(m.text())) rec.csp.push(m.text()); });
  page.on('pageerror', (e) => rec.errors.push(String(e)));

  await page.goto(server.url);
  await page.waitForFunction(() => ['ready', 'error'].includes(document.body.dataset.state), null, { timeout: 30000 });
  const status = await page.textContent('#status');
  check('the page loads the WASM module in its worker', await page.evaluate(() => document.body.dataset.state) === 'ready', status);
  check('the request recorder sees the worker\'s own requests',
    rec.requests.some((r) => r.url.endsWith('/clinsum_web.wasm')) && rec.requests.some((r) => r.url.endsWith('/worker.js')));
  await screenshot(page, 'ready');
  check('the page is cross-origin isolated (COOP + COEP from clinsum serve)', await page.evaluate(() => self.crossOriginIsolated));
  check('the WASM module is loaded by the worker, not by the page', await page.evaluate(() =>
    typeof self.ClinsumWeb === 'undefined' && !performance.getEntriesByType('resource').some((e) => e.name.includes('clinsum_web'))));

  const identifiers = new Set();
  for (const doc of args.docs) for (const id of await checkDocument(page, rec, doc)) identifiers.add(id);

  // Drag and drop: a file dropped on the page is opened like a chosen one.
  {
    const doc = args.docs[0];
    const name = 'dropped-' + path.basename(doc);
    rec.phase = 'processing ' + name;
    const n0 = rec.requests.length;
    const bytes = [...fs.readFileSync(doc)];
    const dt = await page.evaluateHandle(([b, n]) => {
      const d = new DataTransfer();
      d.items.add(new File([new Uint8Array(b)], n, { type: 'text/plain' }));
      return d;
    }, [bytes, name]);
    await page.dispatchEvent('#drop', 'dragover', { dataTransfer: dt });
    await page.dispatchEvent('#drop', 'drop', { dataTransfer: dt });
    await page.waitForFunction((nm) => document.body.dataset.state === 'done' &&
      document.getElementById('doc-meta').textContent.startsWith(nm), name, { timeout: 30000 });
    rec.phase = 'after drop';
    check('a dropped file is opened and summarized, with no request', rec.requests.length === n0 &&
      (await page.textContent('#summary')).length > 20);
  }

  // Keyboard: the file input and the buttons are reachable with Tab.
  await page.focus('body');
  const order = [];
  for (let i = 0; i < 400 && !order.includes('download-json'); i++) {
    await page.keyboard.press('Tab');
    const a = await page.evaluate(() => document.activeElement.id || document.activeElement.getAttribute('value') || document.activeElement.tagName);
    if (a !== order[order.length - 1]) order.push(a);
  }
  await page.focus('#download-md');
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Tab');
  check('keyboard: the focused button shows a focus ring', await page.evaluate(() => {
    const st = getComputedStyle(document.activeElement);
    return document.activeElement.id === 'download-md' && st.outlineStyle !== 'none' && parseFloat(st.outlineWidth) >= 2;
  }));
  check('keyboard: Tab reaches the file input, the view toggle and the summary buttons',
    ['file', 'original', 'text', 'copy-md', 'download-md', 'download-json'].every((id) => order.includes(id)), order.join(' '));

  // A file that is no document: a one-line error, no partial results.
  {
    const bad = path.join(scratch, 'not-a-document.bin');
    fs.writeFileSync(bad, Buffer.from([0, 1, 2, 3, 0, 0xff, 0xfe, 0, 7, 8]));
    await page.setInputFiles('#file', bad);
    await page.waitForFunction(() => document.body.dataset.state === 'error', null, { timeout: 30000 });
    const msg = await page.textContent('#status');
    check('a binary file gives an error naming it, and no results', /not-a-document\.bin: could not parse/.test(msg) &&
      (await page.$$eval('#download-md:disabled', (b) => b.length)) === 1 && await page.isHidden('#results'), msg);
    await screenshot(page, 'error');
  }

  const netLine = await page.textContent('#network');
  check('the page tells the user it made no request to other sites', /Network: [1-9]\d* requests.*none to other sites/.test(netLine), netLine);
  const stores = await dumpStores(page);
  const offo = offOrigin(rec.requests, origin);
  check(`none of the ${rec.requests.length} requests left the origin`, offo.length === 0, offo.map((r) => where(r.url)).join(', '));
  check('no request at all while documents were processed', duringProcessing(rec.requests).length === 0);
  const found = leaks([...identifiers], rec.requests, stores);
  check(`none of ${identifiers.size} identifiers is in a request, localStorage, sessionStorage, IndexedDB, Cache API or OPFS`,
    found.length === 0, [...new Set(found.map(([, w]) => w))].join('; '));
  check('no Content-Security-Policy violation and no page error', rec.csp.length === 0 && rec.errors.length === 0,
    [...rec.csp, ...rec.errors].join(' | ').slice(0, 300));

  // Self-test: plant one violation of each kind; each check must catch it.
  const planted = [...identifiers].sort((a, b) => b.length - a.length)[0] || 'Testpatient';
  rec.phase = 'processing (planted)';
  const n0 = rec.requests.length;
  await page.evaluate((id) => fetch('/planted?q=' + encodeURIComponent(id)).catch(() => {}), planted);
  await page.waitForTimeout(200);
  rec.phase = 'planted';
  const plantedReqs = rec.requests.slice(n0);
  await page.evaluate(async (id) => {
    localStorage.setItem('planted', id);
    const i = new Image();
    i.src = 'http://192.0.2.1/pixel.png';
    await new Promise((res) => {
      const r = indexedDB.open('planted', 1);
      r.onupgradeneeded = () => r.result.createObjectStore('s', { autoIncrement: true });
      r.onsuccess = () => { const t = r.result.transaction('s', 'readwrite'); t.objectStore('s').put({ id }); t.oncomplete = () => { r.result.close(); res(); }; };
    });
    const f = await (await (await navigator.storage.getDirectory()).getDirectoryHandle('planted', { create: true }))
      .getFileHandle('log.jsonl', { create: true });
    const w = await f.createWritable();
    await w.write('{"x":"' + id + '"}\n');
    await w.close();
  }, planted);
  await page.waitForTimeout(300);
  const plantedStores = await dumpStores(page);
  await page.evaluate(async () => {
    localStorage.removeItem('planted');
    await new Promise((res) => { const r = indexedDB.deleteDatabase('planted'); r.onsuccess = r.onerror = r.onblocked = res; });
    await (await navigator.storage.getDirectory()).removeEntry('planted', { recursive: true });
  });
  check('self-test: a request during processing is caught', duringProcessing(plantedReqs).length === 1);
  check('self-test: an identifier in a request URL is caught', leaks([planted], plantedReqs, {}).length === 1);
  for (const store of ['localStorage', 'indexedDB', 'opfs'])
    check(`self-test: an identifier in ${store} is caught`, leaks([planted], [], plantedStores).some(([, w]) => w === store));
  check('self-test: an image from another origin is recorded as leaving the origin and reported by the CSP',
    rec.csp.some((t) => t.includes('192.0.2.1')) && offOrigin(rec.requests, origin).some((r) => r.url.includes('192.0.2.1')));
  exitCode = failures() ? 1 : 0;
} catch (e) {
  console.log('FAIL: ' + (e && e.stack || e));
} finally {
  await browser.close();
  server.proc.kill('SIGTERM');
  fs.rmSync(scratch, { recursive: true, force: true });
}
console.log(`browser e2e: ${failures()} failed, ${((Date.now() - t0) / 1000).toFixed(1)} s; screenshots in ${args.artifacts}`);
process.exit(exitCode);
