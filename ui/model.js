// model.js: the model part of the page.  Picks a local GGUF file (never
// fetched: the File goes to the worker, which reads it in chunks straight
// into the module's memory; worker-model.js), shows the load's progress
// (bytes, speed, time left, tensors placed) and which build runs it, then
// "Summarize with model" streams the model's summary of the current
// document token by token into an aria-live region, with Stop.
//
// Stop: the page is cross-origin isolated (COOP/COEP from `clinsum serve`),
// so a SharedArrayBuffer flag reaches the worker while it is inside the C
// call; without isolation Stop can only discard what comes after it.
//
// A picked model is also kept in the origin private file system under its
// SHA-256 (one at a time); "Load stored model" reads it from there, checking
// the hash on the way in, and "Clear stored model" deletes it.
//
// State on <body data-model>: 'none' | 'loading' | 'loaded' | 'generating'
// | 'error'.  Follows the worker's events through window.clinsum.worker.

import { renderMarkdown } from './render.js';
import { download } from './files.js';

const $ = (id) => document.getElementById(id);
const ui = {
  file: $('model-file'), progress: $('model-progress'), status: $('model-status'), mode: $('model-mode'),
  run: $('model-run'), stop: $('model-stop'), save: $('model-download'), out: $('model-output'),
  stored: $('model-stored'), loadStored: $('model-load-stored'), clear: $('model-clear'), storedInfo: $('model-stored-info'),
};
let stored = [];      // [{sha256, name, size}] in OPFS
const client = window.clinsum.worker;
const post = (msg) => client.worker.postMessage(msg);

let model = null;     // info of the loaded model
let docId = null;     // id of the last document whose extractive summary is done
let running = null;   // {id, stop: Int32Array|null, stream: element}
let lastMarkdown = null; // the finished model summary, for Download
let loadStart = 0;

function setModelState(s) { document.body.dataset.model = s; }
setModelState('none');

const MB = (b) => (b / 1e6).toFixed(1) + ' MB';
function secs(s) { return s < 1 ? 'under 1 s' : s < 90 ? Math.round(s) + ' s' : Math.round(s / 60) + ' min'; }

function buttons() {
  const busy = running !== null;
  ui.run.disabled = busy || !model || docId === null || document.body.dataset.state !== 'done';
  ui.stop.disabled = !busy;
  ui.file.disabled = busy || document.body.dataset.model === 'loading';
  ui.loadStored.disabled = ui.file.disabled || !stored.length;
  ui.clear.disabled = ui.file.disabled || !stored.length;
}

ui.mode.textContent = 'Runs as WebAssembly SIMD128, single-threaded, in the page\'s worker. ' +
  'The file is read in chunks into the module\'s memory (held once); each tensor is placed as its bytes arrive, ' +
  'and the prompt runs once every tensor is in.';

function startLoad(name, size, msg) {
  model = null;
  loadStart = performance.now();
  setModelState('loading');
  ui.progress.hidden = false;
  ui.progress.value = 0;
  ui.status.textContent = 'Loading ' + name + ' (' + MB(size) + ')…';
  buttons();
  post(msg);
}

ui.file.addEventListener('change', () => {
  const f = ui.file.files && ui.file.files[0];
  if (f) startLoad(f.name, f.size, { type: 'model-load', file: f });
});
ui.loadStored.addEventListener('click', () => {
  const s = stored[0];
  if (s) startLoad(s.name, s.size, { type: 'model-load-stored', sha256: s.sha256 });
});
ui.clear.addEventListener('click', () => post({ type: 'model-clear' }));

client.addEventListener('model-stored', (e) => {
  stored = e.detail.models || [];
  ui.stored.hidden = false;
  ui.storedInfo.textContent = stored.length ? 'Stored in this browser: ' + stored[0].name + ' (' + MB(stored[0].size) +
    ', SHA-256 ' + stored[0].sha256.slice(0, 12) + '…).' : 'No model stored in this browser.';
  buttons();
});

client.addEventListener('model-progress', (e) => {
  const m = e.detail;
  const t = (performance.now() - loadStart) / 1000;
  const speed = t > 0 ? m.loaded / t : 0;
  ui.progress.value = m.total ? m.loaded / m.total : 0;
  ui.status.textContent = 'Loading: ' + MB(m.loaded) + ' of ' + MB(m.total) +
    (speed ? ', ' + MB(speed) + '/s, ' + secs((m.total - m.loaded) / speed) + ' left' : '') +
    (m.header ? '; ' + m.tensors_ready + ' tensors placed' : '; reading the header') + '.';
});

client.addEventListener('model-loaded', (e) => {
  model = e.detail.info;
  ui.progress.value = 1;
  setModelState('loaded');
  ui.status.textContent = 'Model ' + model.name + ' loaded in ' + (e.detail.ms / 1000).toFixed(1) + ' s (' + model.arch +
    ', ' + model.layers + ' layers, ' + model.tensors + ' tensors, ' + MB(model.bytes) + ', context ' + model.n_ctx +
    ' tokens)' + (e.detail.verified ? ', read from this browser\'s storage, SHA-256 verified' : '') +
    (e.detail.stored ? '; kept in this browser\'s private storage for next time' : '') +
    '. Open a document, then choose "Summarize with model".';
  buttons();
});

client.addEventListener('model-token', (e) => {
  if (!running || e.detail.id !== running.id) return;
  running.stream.textContent += e.detail.text;
});

function finish(message) {
  running = null;
  ui.out.setAttribute('aria-busy', 'false');
  setModelState(model ? 'loaded' : 'none');
  if (message) ui.status.textContent = message;
  buttons();
}

client.addEventListener('model-summary', (e) => {
  if (!running || e.detail.id !== running.id) return;
  const m = e.detail;
  const final = document.createElement('div');
  renderMarkdown(final, m.markdown);
  ui.out.replaceChildren(final);
  ui.out.dataset.markdown = 'true';
  lastMarkdown = m.markdown;
  ui.save.disabled = false;
  finish('Model summary by ' + m.model + ' in ' + (m.ms.total / 1000).toFixed(1) + ' s (' + m.parts +
    ' prompt' + (m.parts === 1 ? '' : 's') + ').');
});

client.addEventListener('model-error', (e) => {
  const m = e.detail;
  if (m.stage === 'load') {
    model = null;
    setModelState('error');
    ui.progress.hidden = true;
    ui.status.textContent = 'The model could not be loaded: ' + m.message + '.';
    buttons();
    return;
  }
  if (!running || m.id !== running.id) return;
  finish(m.cancelled ? 'Stopped: the text above is incomplete and is not a summary.' : 'The model summary failed: ' + m.message + '.');
});

ui.run.addEventListener('click', () => {
  if (!model || docId === null) return;
  const sab = self.crossOriginIsolated ? new SharedArrayBuffer(4) : null;
  running = { id: docId, stop: sab ? new Int32Array(sab) : null, stream: document.createElement('div') };
  running.stream.className = 'model-stream';
  lastMarkdown = null;
  ui.save.disabled = true;
  ui.out.hidden = false;
  delete ui.out.dataset.markdown;
  ui.out.setAttribute('aria-busy', 'true');
  ui.out.replaceChildren(running.stream);
  setModelState('generating');
  ui.status.textContent = 'The model is writing a summary of the redacted document…';
  buttons();
  post({ type: 'model-summarize', id: docId, stop: sab });
});

ui.stop.addEventListener('click', () => {
  if (!running) return;
  if (running.stop) Atomics.store(running.stop, 0, 1);
  else finish('Stopped: the text above is incomplete and is not a summary.');
});

ui.save.addEventListener('click', () => {
  if (lastMarkdown) download('clinsum-model-summary.md', lastMarkdown, 'text/markdown');
});

// The document side: a new document clears the model output; its summary
// being done enables the button.
client.addEventListener('parsed', () => {
  docId = null;
  lastMarkdown = null;
  ui.save.disabled = true;
  if (!running) { ui.out.hidden = true; ui.out.replaceChildren(); }
  buttons();
});
client.addEventListener('done', (e) => { docId = e.detail.id; queueMicrotask(buttons); });
client.addEventListener('error', () => { docId = null; buttons(); });
buttons();
