// audit-view.js: the audit log in the page.  Shows every event the worker
// recorded (audit-worker.js) in a table: sequence number, time, event type
// and its counts and hashes (the log holds nothing else, so no patient text
// can appear here), a status line with the verification verdict, and an
// Export button that downloads the audit bundle as clinsum-audit-<date>.zip.
//
// It also passes to the worker every request this page makes and every one
// the Content-Security-Policy blocked, as the page's NetworkMonitor
// (network.js) sees them, by URL; the worker keeps only the origin.  The
// worker's own requests it observes itself.  Finds both through
// window.clinsum (app.js).

import { download } from './files.js';

const MAX_ROWS = 1000; // the newest events shown; the export holds them all

const TYPE_LABEL = {
  document_opened: 'Document opened', parsed: 'Parsed', redacted: 'Identifiers removed',
  model_loaded: 'Model loaded', summary_produced: 'Summary produced', exported: 'Exported',
  network: 'Network request', checkpoint: 'Signed checkpoint', recovered: 'Recovered after a crash',
};

function el(tag, props = {}, children = []) {
  const e = Object.assign(document.createElement(tag), props);
  e.append(...children);
  return e;
}

// "sha256 1a2b3c4d5e6f…, size 1234, format ccda": hashes shortened, the full
// value in the title (and in the exported bundle).
function details(ev) {
  const f = ev.fields || {};
  const out = [];
  for (const [k, v] of Object.entries(f)) {
    if (typeof v === 'string' && /^[0-9a-f]{64}$/.test(v)) {
      out.push(el('span', { className: 'hash', title: v, textContent: k + ' ' + v.slice(0, 12) + '…' }));
    } else {
      out.push(el('span', { textContent: k + ' ' + v }));
    }
    out.push(', ');
  }
  out.pop();
  return out;
}

function verdict(r, storage, key) {
  if (!r) return 'The audit log could not be verified.';
  const where = storage === 'opfs' ? 'this browser\'s private file storage' : 'this browser\'s IndexedDB';
  const kid = r.key && r.key.fingerprint ? ' Signing key ' + r.key.fingerprint + '.' : '';
  const net = r.network_events || {};
  if (r.intact) {
    return 'Audit log intact: ' + r.events + ' events, last signed checkpoint at #' + r.last_checkpoint_seq +
      (r.unsigned_tail_events ? ' (' + r.unsigned_tail_events + ' events since)' : '') + '; ' + (net.made || 0) +
      ' requests recorded, ' + (net.blocked || 0) + ' blocked; kept in ' + where + '.' + kid;
  }
  return 'Audit log FAILED verification at event #' + r.first_bad_seq + ': ' + r.problem + '.' + kid;
}

function build() {
  const status = el('p', { id: 'audit-status', className: 'status', role: 'status', textContent: 'Opening the audit log…' });
  status.setAttribute('aria-live', 'polite');
  const exportBtn = el('button', { type: 'button', id: 'audit-export', textContent: 'Export audit bundle (.zip)', disabled: true });
  const tbody = el('tbody');
  const caption = el('caption', { textContent: 'Events recorded by this browser, oldest first' });
  const table = el('table', { id: 'audit-table', className: 'audit-table' }, [
    caption,
    el('thead', {}, [el('tr', {}, ['#', 'Time (UTC)', 'Event', 'Details'].map((h) => {
      const th = el('th', { textContent: h });
      th.scope = 'col';
      return th;
    }))]),
    tbody,
  ]);
  const section = el('section', { id: 'audit', className: 'panel audit' }, [
    el('h2', { id: 'audit-h', textContent: 'Audit log' }),
    el('p', { className: 'hint', textContent: 'What this page did, as hashes and counts, chained and signed so ' +
      'any later edit shows. No document text is recorded. Requests are recorded by origin only.' }),
    el('p', { className: 'hint', textContent: 'The signing key is kept in this browser: it reveals edits to the ' +
      'log, but not a new log written by someone with access to this browser profile. Keep exported bundles ' +
      'elsewhere: "clinsum audit verify --key" checks later logs against their public key.' }),
    status,
    el('div', { className: 'actions' }, [exportBtn]),
    el('div', { className: 'audit-scroll', tabIndex: 0 }, [table]),
  ]);
  section.setAttribute('aria-labelledby', 'audit-h');
  section.querySelector('.audit-scroll').setAttribute('aria-label', 'Audit log events');
  (document.getElementById('main') || document.body).append(section);
  return { status, exportBtn, tbody, caption };
}

function row(ev) {
  const tr = el('tr', {}, [
    el('td', { className: 'num', textContent: String(ev.seq ?? '?') }),
    el('td', { textContent: (ev.time || '').replace('T', ' ').replace('Z', '') }),
    el('td', { textContent: TYPE_LABEL[ev.type] || ev.type }),
    el('td', {}, details(ev)),
  ]);
  tr.dataset.type = ev.type;
  if (ev.type === 'network' && ev.fields && ev.fields.action === 'blocked') tr.classList.add('blocked');
  return tr;
}

function start(worker, network) {
  const ui = build();
  const post = (msg) => worker.worker.postMessage(msg);

  worker.addEventListener('audit-log', (e) => {
    const m = e.detail;
    if (m.reset) ui.tbody.replaceChildren();
    ui.tbody.append(...m.events.map(row));
    const total = m.report ? m.report.events : ui.tbody.rows.length;
    while (ui.tbody.rows.length > MAX_ROWS) ui.tbody.rows[0].remove();
    ui.caption.textContent = 'Events recorded by this browser, oldest first' +
      (total > ui.tbody.rows.length ? ' (the last ' + ui.tbody.rows.length + ' of ' + total + '; Export has them all)' : '');
    const box = ui.tbody.closest('.audit-scroll');
    if (box) box.scrollTop = box.scrollHeight; // the newest events in view
    ui.status.textContent = verdict(m.report, m.storage, m.key);
    ui.status.dataset.intact = m.report && m.report.intact ? 'true' : 'false';
    document.getElementById('audit').dataset.lastSeq = m.report ? String(m.report.last_seq) : '0';
    ui.exportBtn.disabled = false;
  });
  worker.addEventListener('audit-error', (e) => {
    ui.status.textContent = 'Audit log: ' + e.detail.message;
    ui.status.dataset.intact = 'false';
  });
  worker.addEventListener('audit-zip', (e) => {
    download(e.detail.name, e.detail.bytes, 'application/zip');
    ui.exportBtn.disabled = false;
  });
  ui.exportBtn.addEventListener('click', () => {
    ui.exportBtn.disabled = true;
    post({ type: 'audit-export' });
  });

  // Summary downloads are recorded (the worker hashes its own copy).
  for (const [id, format] of [['download-md', 'md'], ['download-json', 'json']]) {
    const b = document.getElementById(id);
    if (b) b.addEventListener('click', () => post({ type: 'audit-exported', format }));
  }

  // Every request this page makes, from the navigation on, and every one
  // the policy refused: the page's NetworkMonitor (network.js) sees them;
  // each new one is passed on once.
  if (network) {
    let made = 0, blocked = 0;
    const forward = () => {
      for (; made < network.requests.length; made++) post({ type: 'audit-network', url: network.requests[made].url, blocked: false });
      for (; blocked < network.blocked.length; blocked++) post({ type: 'audit-network', url: network.blocked[blocked].url, blocked: true });
    };
    network.addEventListener('change', forward);
    forward();
  }
}

function begin() {
  const c = window.clinsum;
  if (!c || !c.worker) return false;
  start(c.worker, c.network);
  return true;
}
if (!begin()) window.addEventListener('DOMContentLoaded', begin, { once: true });
