// browser.mjs: the model's speed in headless Chromium next to the native
// figures.  Not a test (no timed assertions); `make bench-browser` runs it
// through bench/browser.sh, which installs its npm packages:
//
//   node bench/browser.mjs --clinsum BIN --web DIR --playwright DIR
//        --model M.gguf [--bench-infer BIN] [--wllama DIR] [--reps N]
//
// clinsum: the page served by `clinsum serve`, the model picked through its
// file input, then the worker's speed probe (app/wasm_web_model.c
// cs_web_model_bench: a 512-token prompt into an empty context, then 128
// greedy decode steps, as bench_infer measures), best of N.
// wllama (llama.cpp's WebAssembly build, npm @wllama/wllama, --wllama: its
// package directory): the same model loaded from the same kind of File in
// the same browser by bench/browser/wllama-bench.js, at 1 and 2 threads,
// timings as llama.cpp reports them.
// native: bench_infer --threads 1 and 2.
// Every request is recorded; any that leaves the origin is aborted and
// reported.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { playwright, serve, launchChromium } from '../tests/browser/harness.mjs';

const args = { reps: '3' };
for (let i = 2; i < process.argv.length; i += 2) args[process.argv[i].replace(/^--/, '')] = process.argv[i + 1];
const reps = Number(args.reps);
const here = path.dirname(fileURLToPath(import.meta.url));
const { chromium } = playwright(args.playwright);
const N_PROMPT = 512, N_GEN = 128;

const rows = []; // [engine, variant, load ms, prefill tok/s, decode tok/s, ttft ms]
const fmt = (x, d = 1) => (typeof x === 'number' && isFinite(x) ? x.toFixed(d) : '-');

async function withPage(root, bypassCSP, fn) {
  const server = await serve(args.clinsum, root);
  const origin = new URL(server.url).origin;
  const browser = await launchChromium(chromium);
  const offOrigin = [];
  try {
    const context = await browser.newContext({ bypassCSP });
    await context.route('**/*', (r) => {
      const u = r.request().url();
      if (u.startsWith(origin) || u.startsWith('blob:') || u.startsWith('data:')) return r.continue();
      offOrigin.push(u);
      return r.abort();
    });
    const page = await context.newPage();
    await page.goto(server.url);
    return await fn(page);
  } finally {
    if (offOrigin.length) console.log('note: blocked requests off the origin: ' + offOrigin.join(' '));
    await browser.close();
    server.proc.kill('SIGTERM');
  }
}

// ------------------------------------------------------------ clinsum (WASM)
await withPage(args.web, false, async (page) => {
  await page.waitForFunction(() => document.body.dataset.state === 'ready', null, { timeout: 60000 });
  const t0 = Date.now();
  await page.setInputFiles('#model-file', args.model);
  await page.waitForFunction(() => ['loaded', 'error'].includes(document.body.dataset.model), null, { timeout: 600000 });
  const loadMs = Date.now() - t0;
  if (await page.evaluate(() => document.body.dataset.model) !== 'loaded') {
    console.log('clinsum: ' + await page.textContent('#model-status'));
    return;
  }
  const mode = await page.textContent('#model-mode');
  let best = { prefill_tok_s: 0, decode_tok_s: 0, ttft_ms: Infinity };
  for (let r = 0; r < reps; r++) {
    const res = await page.evaluate(([np, ng]) => new Promise((resolve) => {
      const w = window.clinsum.worker;
      const done = (e) => { w.removeEventListener('model-bench', done); w.removeEventListener('model-error', done); resolve(e.detail); };
      w.addEventListener('model-bench', done);
      w.addEventListener('model-error', done);
      w.worker.postMessage({ type: 'model-bench', n_prompt: np, n_gen: ng });
    }), [N_PROMPT, N_GEN]);
    if (!res.result) { console.log('clinsum: bench failed: ' + res.message); return; }
    best = {
      prefill_tok_s: Math.max(best.prefill_tok_s, res.result.prefill_tok_s),
      decode_tok_s: Math.max(best.decode_tok_s, res.result.decode_tok_s),
      ttft_ms: Math.min(best.ttft_ms, res.result.ttft_ms), threads: res.result.threads,
    };
  }
  console.log('clinsum page: ' + mode.trim());
  rows.push(['clinsum', 'WASM SIMD128, ' + best.threads + ' thread', loadMs, best.prefill_tok_s, best.decode_tok_s, best.ttft_ms]);
});

// ------------------------------------------------------------ wllama
if (args.wllama) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'clinsum-wllama-'));
  try {
    fs.copyFileSync(path.join(here, 'browser', 'wllama.html'), path.join(root, 'index.html'));
    fs.copyFileSync(path.join(here, 'browser', 'wllama-bench.js'), path.join(root, 'wllama-bench.js'));
    fs.copyFileSync(path.join(args.wllama, 'esm', 'index.js'), path.join(root, 'index.js'));
    fs.copyFileSync(path.join(args.wllama, 'esm', 'wasm', 'wllama.wasm'), path.join(root, 'wllama.wasm'));
    const version = JSON.parse(fs.readFileSync(path.join(args.wllama, 'package.json'), 'utf8')).version;
    // wllama starts its worker from a blob: URL, which the app's CSP
    // (script-src 'self') forbids: this page alone runs with CSP bypassed.
    await withPage(root, true, async (page) => {
      await page.waitForFunction(() => window.benchReady === true, null, { timeout: 30000 });
      await page.setInputFiles('#model', args.model);
      for (const t of [1, 2]) {
        let r;
        try {
          r = await page.evaluate(([t, np, ng, n]) => window.benchWllama(t, np, ng, n), [t, N_PROMPT, N_GEN, reps]);
        } catch (e) {
          console.log('wllama ' + version + ' at ' + t + ' thread(s) failed: ' + String(e.message || e).split('\n')[0]);
          continue;
        }
        rows.push(['wllama ' + version, (r.multi ? 'multi-threaded, ' : 'single-threaded, ') + r.threads +
          ' thread' + (r.threads > 1 ? 's' : '') + ' (prompt ' + r.prompt_n + ' tok)', r.load_ms, r.prefill, r.decode, r.ttft]);
      }
    });
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
} else {
  console.log('note: wllama not measured (no --wllama DIR; bench/browser.sh installs @wllama/wllama)');
}

// ------------------------------------------------------------ native
if (args['bench-infer']) {
  for (const t of [1, 2]) {
    const out = execFileSync(args['bench-infer'], ['--model', args.model, '--threads', String(t), '--reps', String(reps)],
      { encoding: 'utf8' });
    const num = (re) => { const m = out.match(re); return m ? Number(m[1]) : NaN; };
    rows.push(['clinsum native', 'AVX2, ' + t + ' thread' + (t > 1 ? 's' : ''), num(/model load: ([\d.]+) ms/),
      num(/prefill \(pp\d+\): ([\d.]+)/), num(/decode \(tg\d+\): ([\d.]+)/), num(/time to first token[^:]*: ([\d.]+) ms/)]);
  }
}

console.log(`\nmodel: ${args.model} (${(fs.statSync(args.model).size / 1e6).toFixed(1)} MB), ` +
  `prefill of ${N_PROMPT} tokens, decode of ${N_GEN}, best of ${reps}, headless Chromium ` +
  execFileSync('/usr/bin/chromium', ['--version'], { encoding: 'utf8' }).trim().replace(/^Chromium /, ''));
const head = ['engine', 'variant', 'load ms', 'prefill tok/s', 'decode tok/s', 'first token ms'];
const table = [head, ...rows.map((r) => [r[0], r[1], fmt(r[2], 0), fmt(r[3]), fmt(r[4]), fmt(r[5], 0)])];
const widths = head.map((_, i) => Math.max(...table.map((r) => r[i].length)));
for (const r of table) console.log(r.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  '));
const wasm = rows.find((r) => r[0] === 'clinsum'), wl = rows.filter((r) => r[0].startsWith('wllama'));
if (wasm && wl.length) {
  const best = Math.max(...wl.map((r) => r[4]));
  console.log(`clinsum WASM decode / best wllama decode = ${(wasm[4] / best).toFixed(2)}x (goal in issue 5: 1.25x)`);
}
