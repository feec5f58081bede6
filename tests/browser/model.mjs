// model.mjs: the model in the tab, end to end in Debian's chromium
// (playwright-core, never a downloaded browser).  Run by tests/browser/run.sh
// after e2e.mjs:
//
//   node model.mjs --clinsum BIN --web DIR --artifacts DIR --playwright DIR
//                  --model FILE.gguf --doc FILE
//
// Serves the page with `clinsum serve`, picks the model through the file
// input (page.setInputFiles) and checks: the load reports progress (bytes of
// total, tensors placed) to completion and names the model and the build
// variant; the model summary of DOC streams text into the page before it
// completes, and equals, byte for byte, `clinsum summarize --model FILE DOC`
// (greedy decoding on both sides: with random weights this is agreement,
// not quality) and names the model file; raw greedy generation in the tab
// equals `clinsum generate --greedy --raw -n 32`; Stop ends a generation
// early with a message and no summary offered; a corrupt file and a file
// too large for wasm32 give clear errors; and no request at all happens
// while the model loads or generates, none leaves the origin.  The picked
// model is kept in OPFS under its SHA-256 (the file's, computed here): after
// a reload "Load stored model" runs it with no request, "Clear stored model"
// empties OPFS, and a stored copy altered behind the page's back is refused
// and deleted.  Screenshots
// go to the artifacts directory.  Prints ok:/FAIL: lines; exits 1 on a FAIL.
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { playwright, serve, launchChromium, checker } from './harness.mjs';

const args = {};
for (let i = 2; i < process.argv.length; i += 2) args[process.argv[i].replace(/^--/, '')] = process.argv[i + 1];
const { chromium } = playwright(args.playwright);

const { check, fail, failures } = checker('model: ');
const native = (...a) => execFileSync(args.clinsum, a, { encoding: 'utf8', maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'ignore'] });
fs.mkdirSync(args.artifacts, { recursive: true });
const scratch = fs.mkdtempSync(path.join(args.artifacts, '..', 'browser-model-'));
let shot = 0;
async function screenshot(page, name) {
  await page.screenshot({ path: path.join(args.artifacts, 'model-' + String(++shot).padStart(2, '0') + '-' + name + '.png'), fullPage: true });
}

const modelName = path.basename(args.model);
const server = await serve(args.clinsum, args.web);
const origin = new URL(server.url).origin;
const browser = await launchChromium(chromium);
const t0 = Date.now();
try {
  const context = await browser.newContext({ acceptDownloads: true });
  const page = await context.newPage();
  const rec = { phase: 'start', requests: [], seen: new Set() };
  const record = (r) => {
    if (rec.seen.has(r)) return;
    rec.seen.add(r);
    rec.requests.push({ url: r.url(), phase: rec.phase });
  };
  context.on('request', record);
  page.on('request', record);
  page.on('websocket', (ws) => rec.requests.push({ url: ws.url(), phase: rec.phase }));
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(server.url);
  await page.waitForFunction(() => ['ready', 'error'].includes(document.body.dataset.state), null, { timeout: 30000 });
  // Every worker message the model part receives, for the checks below.
  await page.evaluate(() => {
    window.modelEvents = [];
    for (const t of ['model-progress', 'model-loaded', 'model-token', 'model-summary', 'model-error', 'model-generated'])
      window.clinsum.worker.addEventListener(t, (e) => window.modelEvents.push(e.detail));
  });
  const events = (type) => page.evaluate((t) => window.modelEvents.filter((m) => m.type === t), type);
  const settled = () => page.waitForFunction(() => ['loaded', 'error', 'none'].includes(document.body.dataset.model),
    null, { timeout: 300000 });

  // ------------------------------------------------------------ load
  rec.phase = 'model load';
  const n0 = rec.requests.length;
  const tl = Date.now();
  await page.setInputFiles('#model-file', args.model);
  await settled();
  const loadMs = Date.now() - tl;
  const status = await page.textContent('#model-status');
  check('the model loads through the file picker', await page.evaluate(() => document.body.dataset.model) === 'loaded', status);
  const prog = await events('model-progress');
  const size = fs.statSync(args.model).size;
  const last = prog[prog.length - 1] || {};
  check('progress is reported from the first bytes to the last', prog.length >= 2 && prog[0].loaded < size &&
    last.loaded === size && last.total === size, prog.length + ' progress messages');
  check('tensors are placed while the file streams in', prog.some((p) => p.header && p.tensors_ready > 0) &&
    last.tensors_ready > 0);
  check('the progress bar ends full', await page.evaluate(() => document.getElementById('model-progress').value) === 1);
  check('the status names the model file and its size', status.includes(modelName) && /MB/.test(status), status);
  const mode = await page.textContent('#model-mode');
  check('the page says which build runs the model', /SIMD128/.test(mode) && /single-threaded/.test(mode), mode);
  check('no request while loading the model', rec.requests.length === n0,
    rec.requests.slice(n0).map((r) => new URL(r.url).pathname).join(' '));
  await screenshot(page, 'loaded');
  const sha = crypto.createHash('sha256').update(fs.readFileSync(args.model)).digest('hex');
  const opfs = () => page.evaluate(async () => {
    const out = {};
    const dir = await (await navigator.storage.getDirectory()).getDirectoryHandle('models', { create: true });
    for await (const [name, h] of dir.entries()) out[name] = (await h.getFile()).size;
    return out;
  });
  {
    // The audit log records the load: model_loaded with the file's SHA-256,
    // architecture and quantization, shown in the log view.
    const want = sha.slice(0, 12);
    let row = '';
    try {
      await page.waitForFunction((w) => [...document.querySelectorAll('#audit-table tbody tr')].some((tr) =>
        tr.dataset.type === 'model_loaded' && tr.textContent.includes(w)), want, { timeout: 10000 });
      row = await page.evaluate(() => [...document.querySelectorAll('#audit-table tbody tr')]
        .filter((tr) => tr.dataset.type === 'model_loaded').pop().textContent);
    } catch { /* reported below */ }
    check('the audit log records model_loaded with the SHA-256, arch and quantization',
      row.includes(want) && /llama/.test(row) && /F16/.test(row), row);
  }
  {
    const files = await opfs();
    check('the model is kept in OPFS under its SHA-256', files[sha + '.gguf'] === size && (sha + '.json') in files,
      JSON.stringify(files));
    check('the page says the model is stored', /private storage/.test(status) &&
      (await page.textContent('#model-stored-info')).includes(modelName));
  }

  // ------------------------------------------------------------ raw generation vs the CLI
  {
    const prompt = 'The patient was admitted on the third day with chest pain and';
    const pf = path.join(scratch, 'prompt.txt');
    fs.writeFileSync(pf, prompt);
    const want = native('generate', '--model', args.model, '--greedy', '--raw', '-n', '32', pf);
    rec.phase = 'generate';
    const n1 = rec.requests.length;
    await page.evaluate((text) => window.clinsum.worker.worker.postMessage({ type: 'model-generate', text, n: 32 }), prompt);
    await page.waitForFunction(() => window.modelEvents.some((m) => m.type === 'model-generated' ||
      (m.type === 'model-error' && m.stage === 'generate')), null, { timeout: 120000 });
    const got = (await events('model-generated'))[0] || {};
    check('greedy generation in the tab equals `clinsum generate --greedy --raw -n 32`', got.text === want,
      JSON.stringify((got.text || '').slice(0, 60)) + ' vs ' + JSON.stringify(want.slice(0, 60)));
    check('32 token ids generated', Array.isArray(got.ids) && got.ids.length > 0 && got.ids.length <= 33,
      got.ids && got.ids.length);
    check('no request during generation', rec.requests.length === n1);
  }

  // ------------------------------------------------------------ model summary vs the CLI
  rec.phase = 'document';
  await page.setInputFiles('#file', args.doc);
  await page.waitForFunction(() => ['done', 'error'].includes(document.body.dataset.state), null, { timeout: 60000 });
  check('the document is summarized (extractive) first', await page.evaluate(() => document.body.dataset.state) === 'done');
  check('"Summarize with model" is enabled once a model and a summary are there', await page.isEnabled('#model-run'));
  const want = native('summarize', '--model', args.model, args.doc);
  rec.phase = 'model summary';
  const n2 = rec.requests.length;
  const ts = Date.now();
  await page.click('#model-run');
  await page.waitForFunction(() => document.body.dataset.model === 'generating' &&
    document.querySelector('#model-output .model-stream')?.textContent.length > 0, null, { timeout: 120000 });
  check('generated text appears in the page while the model runs', true);
  check('the streamed text is in an aria-live region', await page.getAttribute('#model-output', 'aria-live') === 'polite');
  check('Stop is enabled while generating', await page.isEnabled('#model-stop'));
  await screenshot(page, 'streaming');
  await settled();
  const sumMs = Date.now() - ts;
  const tokens = await events('model-token');
  check('tokens arrived one message at a time', tokens.length > 10, tokens.length + ' token messages');
  const done = (await events('model-summary'))[0];
  check('the model summary completes', !!done, await page.textContent('#model-status'));
  if (done) {
    if (!check('the model summary equals `clinsum summarize --model` on the same document', done.markdown === want,
      'first difference at character ' + [...done.markdown].findIndex((c, i) => c !== [...want][i]) +
      '; both in the artifacts directory')) {
      fs.writeFileSync(path.join(args.artifacts, 'model-summary-tab.md'), done.markdown);
      fs.writeFileSync(path.join(args.artifacts, 'model-summary-cli.md'), want);
    }
    check('the summary names the model file', done.markdown.includes(modelName));
    const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#model-download')]);
    const f = path.join(scratch, 'model.md');
    await dl.saveAs(f);
    check('the model summary downloads as Markdown', fs.readFileSync(f, 'utf8') === done.markdown);
  }
  check('no request while the model summarizes', rec.requests.length === n2,
    rec.requests.slice(n2).map((r) => new URL(r.url).pathname).join(' '));
  await screenshot(page, 'summary');

  // ------------------------------------------------------------ Stop
  {
    rec.phase = 'stop';
    const n3 = rec.requests.length;
    await page.evaluate(() => { window.modelEvents = []; });
    await page.click('#model-run');
    await page.waitForFunction(() => document.querySelector('#model-output .model-stream')?.textContent.length > 0,
      null, { timeout: 120000 });
    const tStop = Date.now();
    await page.click('#model-stop');
    await settled();
    const stopMs = Date.now() - tStop;
    const st = await page.textContent('#model-status');
    const err = (await events('model-error'))[0] || {};
    check('Stop cancels the generation', err.cancelled === true && /Stopped/.test(st), st);
    check('Stop ends it early (fewer tokens than the full run)', (await events('model-token')).length < tokens.length,
      (await events('model-token')).length + ' vs ' + tokens.length);
    check('Stop answers quickly (' + stopMs + ' ms)', stopMs < 20000);
    check('a stopped run offers no summary to download', await page.isDisabled('#model-download'));
    check('the model can run again after Stop', await page.isEnabled('#model-run'));
    check('no request around Stop', rec.requests.length === n3);
    await screenshot(page, 'stopped');
  }

  // ------------------------------------------------------------ errors
  {
    rec.phase = 'errors';
    const bad = path.join(scratch, 'not-a-model.gguf');
    fs.writeFileSync(bad, 'This is not a GGUF file at all, only text. '.repeat(100));
    await page.setInputFiles('#model-file', bad);
    await settled();
    const st = await page.textContent('#model-status');
    check('a corrupt file gives a clear error', await page.evaluate(() => document.body.dataset.model) === 'error' &&
      /could not be loaded/.test(st), st);
    // A 5 GB sparse file: more than wasm32 can address.
    const big = path.join(scratch, 'too-big.gguf');
    const fd = fs.openSync(big, 'w');
    fs.ftruncateSync(fd, 5 * 2 ** 30);
    fs.closeSync(fd);
    await page.setInputFiles('#model-file', big);
    await settled();
    const st2 = await page.textContent('#model-status');
    check('a model too large for wasm32 is refused with a clear error', /does not fit/.test(st2) && /MB/.test(st2), st2);
    fs.rmSync(big);
    await screenshot(page, 'too-big');
  }

  // ------------------------------------------------------------ OPFS reuse, clear, tampering
  {
    // picking the corrupt file above replaced the stored copy and kept nothing: store it again
    await page.setInputFiles('#model-file', args.model);
    await settled();
    rec.phase = 'stored model';
    const n4 = rec.requests.length;
    await page.reload();
    await page.waitForFunction(() => document.body.dataset.state === 'ready', null, { timeout: 30000 });
    await page.waitForFunction(() => !document.getElementById('model-load-stored').disabled, null, { timeout: 30000 });
    const before = rec.requests.length;
    await page.click('#model-load-stored');
    await settled();
    const st = await page.textContent('#model-status');
    check('after a reload the stored model loads, SHA-256 verified', await page.evaluate(() => document.body.dataset.model) === 'loaded' &&
      /verified/.test(st) && st.includes(modelName), st);
    check('loading the stored model makes no request', rec.requests.length === before);
    const got = await page.evaluate((text) => new Promise((resolve) => {
      window.clinsum.worker.addEventListener('model-generated', (e) => resolve(e.detail), { once: true });
      window.clinsum.worker.worker.postMessage({ type: 'model-generate', text, n: 8 });
    }), 'Hello');
    check('the stored model generates as the picked one', typeof got.text === 'string' && got.ids.length > 0);
    await page.click('#model-clear');
    await page.waitForFunction(() => /No model stored/.test(document.getElementById('model-stored-info').textContent));
    check('"Clear stored model" empties OPFS', Object.keys(await opfs()).length === 0, JSON.stringify(await opfs()));
    // Store again, then change one byte of the stored copy behind the page's back.
    await page.setInputFiles('#model-file', args.model);
    await settled();
    await page.evaluate(async (name) => {
      const dir = await (await navigator.storage.getDirectory()).getDirectoryHandle('models');
      const fh = await dir.getFileHandle(name);
      const w = await fh.createWritable({ keepExistingData: true });
      const f = await fh.getFile();
      const last = new Uint8Array(await f.slice(f.size - 1).arrayBuffer());
      await w.write({ type: 'write', position: f.size - 1, data: new Uint8Array([last[0] ^ 0xff]) });
      await w.close();
    }, sha + '.gguf');
    await page.reload();
    await page.waitForFunction(() => document.body.dataset.state === 'ready', null, { timeout: 30000 });
    await page.waitForFunction(() => !document.getElementById('model-load-stored').disabled, null, { timeout: 30000 });
    await page.click('#model-load-stored');
    await settled();
    const st2 = await page.textContent('#model-status');
    check('an altered stored model is refused and deleted', await page.evaluate(() => document.body.dataset.model) === 'error' &&
      /verification/.test(st2) && Object.keys(await opfs()).length === 0, st2);
    check('no request while storing, reusing and clearing the model (besides reloading the page)',
      rec.requests.filter((r) => r.phase === 'stored model' && !/\/(|index\.html|[\w-]+\.(js|css|svg|wasm))$/.test(new URL(r.url).pathname)).length === 0 &&
      rec.requests.slice(n4).every((r) => new URL(r.url).origin === origin));
    await screenshot(page, 'stored');
  }

  const off = rec.requests.filter((r) => !r.url.startsWith('data:') &&
    new URL(r.url.startsWith('blob:') ? r.url.slice(5) : r.url).origin !== origin);
  check('no request left the origin', off.length === 0, off.map((r) => r.url).join(' '));
  check('no uncaught error in the page', errors.length === 0, errors.join('; '));
  console.log(`# model: ${modelName} (${(size / 1e6).toFixed(1)} MB) loaded in ${loadMs} ms, ` +
    `summary in ${sumMs} ms, ${tokens.length} token messages`);
} catch (e) {
  fail();
  console.log('FAIL: model: ' + (e && e.message || e).split('\n')[0]);
} finally {
  await browser.close();
  server.proc.kill('SIGTERM');
  fs.rmSync(scratch, { recursive: true, force: true });
}
console.log(`# model test: ${((Date.now() - t0) / 1000).toFixed(1)} s, ${failures()} failure(s)`);
process.exit(failures() ? 1 : 0);
