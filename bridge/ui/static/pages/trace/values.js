// How one OPT value reads on the page: primitives inline, references as a pointer to a heap box.
import { h } from '/ui/js/dom.js';

// The tracer's encoder cuts big containers with these strings in place of the remaining items
// (bridge/trace/child/encoder.py); they are shown as notes, not as string values.
const CUT_ITEMS = /^\.\.\. \(\d+ more items\)$/;
const CUT_VALUES = new Set(['... (nested too deep)', '... (too many objects to show)']);
const SPECIAL_FLOATS = { Infinity: 'inf', '-Infinity': '-inf', NaN: 'nan' };

export function isRef(value) {
  return Array.isArray(value) && value[0] === 'REF';
}

export function refTarget(value) {
  return String(value[1]);
}

export function isCutMarker(value) {
  return typeof value === 'string' && (CUT_ITEMS.test(value) || CUT_VALUES.has(value));
}

export function heapBoxId(id) {
  return `trace-heap-${id}`;
}

// `source` names the place a reference starts (a variable or an element), for the arrow drawn from it.
export function renderValue(value, source) {
  if (isRef(value)) {
    const target = refTarget(value);
    return h('span', {
      class: 'trace-ref',
      'data-ref': target,
      'data-source': source,
      'aria-label': `reference to object ${target}`,
      title: `object ${target}`,
    });
  }
  if (isCutMarker(value)) return h('span', { class: 'trace-cut', text: value });
  return h('span', { class: `trace-prim ${primitiveKind(value)}`, text: primitiveText(value) });
}

export function primitiveText(value) {
  if (value === null) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'string') return `"${value}"`;
  if (Array.isArray(value) && value[0] === 'SPECIAL_FLOAT') return SPECIAL_FLOATS[value[1]] ?? String(value[1]);
  if (Array.isArray(value)) return value.map(String).join(' ');
  return String(value);
}

function primitiveKind(value) {
  if (value === null) return 'is-none';
  if (typeof value === 'string') return 'is-str';
  if (typeof value === 'boolean') return 'is-bool';
  return 'is-number';
}
