// render.js: the document, its identifiers and the summary as DOM.  Every
// piece of document text goes in through textContent / text nodes, never
// innerHTML, so a document cannot inject markup into the page.

// Long names for the redactor's categories (cs_phi_category_name()).
export const CATEGORY_LABELS = {
  NAME: 'Names', DATE: 'Dates', AGE: 'Ages over 89', PHONE: 'Phone and fax',
  EMAIL: 'E-mail', SSN: 'Social security numbers', ID: 'Record and other numbers',
  LOCATION: 'Addresses and places', FACILITY: 'Facilities', URL: 'Web addresses',
  IP: 'IP addresses', DEVICE: 'Device and serial numbers',
};

function el(tag, attrs = {}, text) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') e.className = v;
    else if (k === 'dataset') Object.assign(e.dataset, v);
    else e.setAttribute(k, v);
  }
  if (text !== undefined) e.textContent = text;
  return e;
}

function sectionId(i) { return 'sec-' + i; }

export function renderMeta(node, doc, name) {
  const parts = [name, doc.format.toUpperCase()];
  if (doc.kind) parts.push(doc.kind);
  parts.push(doc.sections.length + (doc.sections.length === 1 ? ' section' : ' sections'));
  node.textContent = parts.join(' · ');
}

export function renderSections(list, countNode, doc) {
  list.replaceChildren();
  doc.sections.forEach((s, i) => {
    const li = el('li', { class: 'depth-' + Math.min(s.depth, 3) });
    const a = el('a', { href: '#' + sectionId(i) }, s.title || '(untitled)');
    li.append(a);
    if (s.code) li.append(' ', el('span', { class: 'code' }, s.code));
    list.append(li);
  });
  countNode.textContent = String(doc.sections.length);
}

export function renderCounts(tbody, redaction) {
  tbody.replaceChildren();
  for (const c of redaction.categories) {
    const n = redaction.counts[c] || 0;
    const tr = el('tr', n ? {} : { class: 'zero' });
    const th = el('th', { scope: 'row' });
    th.append(el('span', { class: 'swatch phi phi-' + c, 'aria-hidden': 'true' }, c), ' ',
      CATEGORY_LABELS[c] || c);
    tr.append(th, el('td', {}, String(n)));
    tbody.append(tr);
  }
}

// The original text of one section with each span in a <mark>.  Spans are
// sorted, non-overlapping UTF-16 offsets (see app/wasm_web.c).
function highlighted(text, spans) {
  const frag = document.createDocumentFragment();
  let at = 0;
  for (const sp of spans) {
    if (sp.start < at || sp.end > text.length) continue;
    if (sp.start > at) frag.append(text.slice(at, sp.start));
    const m = el('mark', { class: 'phi phi-' + sp.category, dataset: { category: sp.category },
      title: CATEGORY_LABELS[sp.category] || sp.category }, text.slice(sp.start, sp.end));
    frag.append(m, el('span', { class: 'sr-only' }, ' (' + sp.category.toLowerCase() + ')'));
    at = sp.end;
  }
  if (at < text.length) frag.append(text.slice(at));
  return frag;
}

// Redacted text with its masks ("[NAME]") styled like the highlights.
function masked(text, categories) {
  const frag = document.createDocumentFragment();
  const re = new RegExp('\\[(' + categories.join('|') + ')\\]', 'g');
  let at = 0;
  for (const m of text.matchAll(re)) {
    if (m.index > at) frag.append(text.slice(at, m.index));
    frag.append(el('span', { class: 'mask phi phi-' + m[1], dataset: { category: m[1] } }, m[0]));
    at = m.index + m[0].length;
  }
  if (at < text.length) frag.append(text.slice(at));
  return frag;
}

export function renderText(node, doc, redaction, view) {
  node.replaceChildren();
  node.dataset.view = view;
  doc.sections.forEach((s, i) => {
    const art = el('section', { class: 'doc-section depth-' + Math.min(s.depth, 3), id: sectionId(i),
      'aria-labelledby': sectionId(i) + '-h' });
    const r = redaction && redaction.sections[i];
    const h = el('h3', { id: sectionId(i) + '-h' });
    if (!r || !s.title) h.textContent = s.title || '(untitled)';
    else if (view === 'redacted') h.append(masked(r.title_redacted, redaction.categories));
    else h.append(highlighted(s.title, r.title_spans));
    art.append(h);
    const body = el('div', { class: 'section-text' });
    if (!r) body.textContent = view === 'redacted' ? '' : s.text;
    else if (view === 'redacted') body.append(masked(r.redacted, redaction.categories));
    else body.append(highlighted(s.text, r.spans));
    art.append(body);
    node.append(art);
  });
}

// One line of Markdown: "**bold**" runs become <strong>, masks ("[NAME]")
// are styled as in the redacted view, the rest is text.
const MASK_CATEGORIES = Object.keys(CATEGORY_LABELS);
function inline(tag, attrs, text) {
  const e = el(tag, attrs);
  text.split('**').forEach((part, i, all) => {
    if (i % 2 && i < all.length - 1) e.append(el('strong', {}, part));
    else e.append(masked((i % 2 ? '**' : '') + part, MASK_CATEGORIES));
  });
  return e;
}

// The summary's Markdown (app/summary_format.c: "# title", "*line*",
// "## heading", "- item", "> note") as headings, lists and paragraphs.
export function renderMarkdown(node, markdown) {
  node.replaceChildren();
  let list = null;
  for (const line of markdown.split('\n')) {
    if (line.startsWith('- ')) {
      if (!list) { list = el('ul'); node.append(list); }
      list.append(inline('li', {}, line.slice(2)));
      continue;
    }
    list = null;
    if (!line.trim()) continue;
    if (line.startsWith('## ')) node.append(el('h4', {}, line.slice(3)));
    else if (line.startsWith('# ')) node.append(el('h3', {}, line.slice(2)));
    else if (line.startsWith('> ')) node.append(el('p', { class: 'note' }, line.slice(2)));
    else if (/^\*[^*].*\*$/.test(line)) node.append(el('p', { class: 'byline' }, line.slice(1, -1)));
    else node.append(inline('p', {}, line));
  }
}
