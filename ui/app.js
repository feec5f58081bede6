// app.js: the page.  Wires the file input, the worker (worker-client.js)
// and the views (render.js, files.js).  The pipeline runs only in the
// worker; this thread reads the file, posts its bytes and draws replies.
//
// The page's state is on <body data-state>: 'loading' (module not ready),
// 'ready', 'working' (a document is being processed), 'done' (summary
// shown) or 'error'.  Other modules can follow the work by listening to the
// worker's events (see worker-client.js) on `window.clinsum.worker`.

import { ClinsumWorker } from './worker-client.js';
import { renderMeta, renderSections, renderCounts, renderText, renderMarkdown } from './render.js';
import { acceptFiles, download, copyText } from './files.js';
import { NetworkMonitor } from './network.js';

const $ = (id) => document.getElementById(id);
const ui = {
  status: $('status'), file: $('file'), drop: $('drop'), results: $('results'),
  meta: $('doc-meta'), sections: $('sections'), sectionCount: $('section-count'),
  counts: document.querySelector('#counts tbody'), text: $('text'), summary: $('summary'),
  copy: $('copy-md'), downloadMd: $('download-md'), downloadJson: $('download-json'),
};

const MAX_BYTES = 64 << 20; // the parsers' default cap (CS_PARSE_DEFAULT_MAX_BYTES)

// What the page shows for the current document; replaced per document.
let current = null; // {id, name, doc, redaction, markdown, json}

function setState(state, message) {
  document.body.dataset.state = state;
  if (message) ui.status.textContent = message;
}

function view() {
  return document.querySelector('input[name="view"]:checked').value;
}

function setSummaryButtons(enabled) {
  for (const b of [ui.copy, ui.downloadMd, ui.downloadJson]) b.disabled = !enabled;
}

const worker = new ClinsumWorker('worker.js');
const network = new NetworkMonitor();
window.clinsum = { worker, network };

function showNetwork() {
  const off = network.offOrigin, blocked = network.blocked.length;
  $('network').textContent = 'Network: ' + network.total + ' requests since this page loaded (the app\'s own files), ' +
    (off ? off + ' to other sites' : 'none to other sites') + (blocked ? ', ' + blocked + ' blocked' : '') + '.';
}
network.addEventListener('change', showNetwork);
showNetwork();

worker.addEventListener('ready', (e) => {
  const m = e.detail;
  network.workerRequests = (m.requests || []).length;
  showNetwork();
  setState('ready', 'Ready. Summarizer loaded in ' + Math.round(m.init_ms) + ' ms (WebAssembly' +
    (m.simd ? ' SIMD' : '') + ', ' + (m.threads ? 'multi-threaded' : 'single-threaded') + ').');
});

worker.addEventListener('parsed', (e) => {
  if (!current || e.detail.id !== current.id) return;
  current.doc = e.detail.doc;
  renderMeta(ui.meta, current.doc, current.name);
  renderSections(ui.sections, ui.sectionCount, current.doc);
  renderText(ui.text, current.doc, null, view());
  ui.results.hidden = false;
  ui.status.textContent = 'Found ' + current.doc.sections.length + ' sections; finding identifiers…';
});

worker.addEventListener('redacted', (e) => {
  if (!current || e.detail.id !== current.id) return;
  current.redaction = e.detail.redaction;
  renderCounts(ui.counts, current.redaction);
  renderText(ui.text, current.doc, current.redaction, view());
  ui.status.textContent = current.redaction.n_spans + ' identifiers found; summarizing…';
});

worker.addEventListener('summary', (e) => {
  if (!current || e.detail.id !== current.id) return;
  current.markdown = e.detail.markdown;
  current.json = e.detail.json;
  renderMarkdown(ui.summary, current.markdown);
  ui.summary.setAttribute('aria-busy', 'false');
  setSummaryButtons(true);
});

worker.addEventListener('done', (e) => {
  if (!current || e.detail.id !== current.id) return;
  const r = current.redaction;
  const ms = e.detail.ms;
  setState('done', current.doc.sections.length + ' sections, ' + r.n_spans +
    ' identifiers highlighted, summary ready. Done in ' + Math.round(ms.total) + ' ms (reading ' +
    Math.round(ms.parse) + ' ms, finding identifiers ' + Math.round(ms.redact) + ' ms, summary ' +
    Math.round(ms.summarize) + ' ms).');
});

worker.addEventListener('error', (e) => {
  const m = e.detail;
  if (m.id !== null && (!current || m.id !== current.id)) return;
  const what = m.stage === 'load' ? 'The summarizer could not be loaded' :
    (current ? current.name : 'The document') + ': could not ' + m.stage;
  setState('error', what + ' (' + m.message + ').');
  ui.results.hidden = true;
  ui.summary.setAttribute('aria-busy', 'false');
});

async function openFile(file) {
  if (file.size > MAX_BYTES) {
    setState('error', file.name + ': larger than 64 MB, not opened.');
    return;
  }
  setSummaryButtons(false);
  ui.results.hidden = true; // nothing of the previous document stays on show
  ui.summary.replaceChildren();
  ui.summary.setAttribute('aria-busy', 'true');
  setState('working', 'Reading ' + file.name + '…');
  const bytes = await file.arrayBuffer();
  current = { id: 0, name: file.name };
  current.id = worker.process(file.name, bytes);
  if (!worker.ready) ui.status.textContent = 'Waiting for the summarizer to load…';
}

acceptFiles(ui.file, ui.drop, openFile);

for (const r of document.querySelectorAll('input[name="view"]')) {
  r.addEventListener('change', () => {
    if (current && current.doc) renderText(ui.text, current.doc, current.redaction, view());
  });
}

ui.copy.addEventListener('click', async () => {
  try {
    await copyText(current.markdown);
    ui.status.textContent = 'Summary copied.';
  } catch {
    ui.status.textContent = 'Copying was refused by the browser; use Download instead.';
  }
});
ui.downloadMd.addEventListener('click', () => {
  download('clinsum-summary.md', current.markdown, 'text/markdown');
  ui.status.textContent = 'Summary downloaded as Markdown.';
});
ui.downloadJson.addEventListener('click', () => {
  download('clinsum-summary.json', current.json, 'application/json');
  ui.status.textContent = 'Summary downloaded as JSON.';
});

