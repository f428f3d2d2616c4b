// The heap of one step drawn as Python Tutor draws it: a box per object, laid out in rows that
// follow the references from each variable, so related objects sit side by side.
import { h } from '/ui/js/dom.js';
import { heapBoxId, isRef, refTarget, renderValue } from './values.js';

// One heap encoding (["LIST", ...], ["DICT", [k, v]...], ...) split into what a box shows.
export function describe(encoding) {
  const [tag] = encoding;
  switch (tag) {
    case 'LIST': return { kind: 'list', label: 'list', items: encoding.slice(1), indexed: true };
    case 'TUPLE': return { kind: 'tuple', label: 'tuple', items: encoding.slice(1), indexed: true };
    case 'SET': return { kind: 'set', label: 'set', items: encoding.slice(1), indexed: false };
    case 'DICT': return { kind: 'dict', label: 'dict', pairs: encoding.slice(1) };
    case 'INSTANCE':
      return { kind: 'instance', label: `${encoding[1]} instance`, pairs: encoding.slice(2) };
    case 'INSTANCE_PPRINT':
      return { kind: 'instance', label: `${encoding[1]} instance`, text: encoding[2], pairs: encoding.slice(3) };
    case 'CLASS': {
      const bases = encoding[2] || [];
      const extendsText = bases.length ? ` extends ${bases.join(', ')}` : '';
      return { kind: 'class', label: `${encoding[1]} class${extendsText}`, pairs: encoding.slice(3) };
    }
    case 'FUNCTION': {
      const parent = encoding[2];
      return {
        kind: 'function',
        label: 'function',
        text: encoding[1] + (parent === null || parent === undefined ? '' : ` [parent: frame ${parent}]`),
        pairs: encoding[3] || [],
        pairsTitle: 'defaults',
      };
    }
    case 'HEAP_PRIMITIVE': return { kind: 'primitive', label: encoding[1], items: [encoding[2]], indexed: false };
    case 'module': return { kind: 'other', label: 'module', text: encoding[1] };
    default: return { kind: 'other', label: String(tag), text: encoding.slice(1).map(String).join(' ') };
  }
}

// References out of an object, in the order its box shows them.
export function childRefs(encoding) {
  const { items = [], pairs = [] } = describe(encoding);
  return [...items, ...pairs.flat()].filter(isRef).map(refTarget);
}

// Rows of heap ids: each variable's object starts a row unless already placed, and the objects it
// reaches (depth first) follow it in that row. Objects nobody in the frames reaches go last.
export function layoutRows(heap, rootRefs) {
  const placed = new Set();
  const rows = [];
  const place = (id, row) => {
    if (placed.has(id) || !(id in heap)) return;
    placed.add(id);
    row.push(id);
    for (const child of childRefs(heap[id])) place(child, row);
  };
  for (const id of rootRefs) {
    const row = [];
    place(id, row);
    if (row.length) rows.push(row);
  }
  const rest = [];
  for (const id of Object.keys(heap).sort((a, b) => Number(a) - Number(b))) place(id, rest);
  if (rest.length) rows.push(rest);
  return rows;
}

export function renderHeap(heap, rootRefs) {
  const rows = layoutRows(heap, rootRefs);
  if (!rows.length) return h('p', { class: 'trace-empty', text: 'No objects yet.' });
  return h('div', { class: 'trace-heap-rows' },
    ...rows.map((row) => h('div', { class: 'trace-heap-row' }, ...row.map((id) => renderObject(id, heap[id])))));
}

function renderObject(id, encoding) {
  const view = describe(encoding);
  const box = h('div', {
    class: `trace-obj is-${view.kind}`,
    id: heapBoxId(id),
    'data-heap-id': id,
    role: 'group',
    'aria-label': `object ${id}: ${view.label}`,
  }, h('div', { class: 'trace-obj-label', text: view.label }));
  if (view.text !== undefined) box.append(h('div', { class: 'trace-obj-text', text: view.text }));
  if (view.items) box.append(renderItems(id, view));
  if (view.pairs && (view.pairs.length || view.kind !== 'function')) box.append(renderPairs(id, view));
  return box;
}

function renderItems(id, view) {
  if (!view.items.length) return h('div', { class: 'trace-obj-empty', text: 'empty' });
  return h('ol', { class: 'trace-items', start: '0' }, ...view.items.map((item, index) =>
    h('li', { class: 'trace-item', 'data-index': String(index) },
      view.indexed ? h('span', { class: 'trace-index', text: String(index) }) : h('span', { class: 'trace-index' }),
      h('span', { class: 'trace-slot' }, renderValue(item, `heap-${id}-item-${index}`)))));
}

// The encoder ends a cut dict with ["...", "(N more entries)"].
function isCutPair(key, value) {
  return key === '...' && typeof value === 'string' && /^\(\d+ more entries\)$/.test(value);
}

function renderPairs(id, view) {
  if (!view.pairs.length) return h('div', { class: 'trace-obj-empty', text: 'empty' });
  const rows = view.pairs.map((pair, index) => {
    const [key, value] = pair;
    if (isCutPair(key, value)) {
      return h('tr', { class: 'trace-cut-row' }, h('td', { colspan: '2', class: 'trace-cut', text: `... ${value}` }));
    }
    const keyCell = view.kind === 'dict'
      ? renderValue(key, `heap-${id}-key-${index}`)
      : h('span', { class: 'trace-attr', text: String(key) });
    return h('tr', { 'data-key': typeof key === 'string' ? key : String(index) },
      h('th', { scope: 'row' }, keyCell),
      h('td', {}, renderValue(value, `heap-${id}-value-${index}`)));
  });
  const table = h('table', { class: 'trace-pairs' });
  if (view.pairsTitle) table.append(h('caption', { text: view.pairsTitle }));
  table.append(h('tbody', {}, ...rows));
  return table;
}
