// A script's JSON return value: a table when it is a list of records (objects), else the JSON itself.
import { h } from '/ui/js/dom.js';

const isRecord = (value) => value !== null && typeof value === 'object' && !Array.isArray(value);

export function isTable(value) {
  return Array.isArray(value) && value.length > 0 && value.every(isRecord);
}

export function renderResult(value) {
  if (isTable(value)) return renderTable(value);
  return h('pre', { class: 'output script-json', tabindex: '0', text: JSON.stringify(value, null, 2) });
}

function renderTable(records) {
  // Columns in the order they first appear, so records with extra keys add columns instead of hiding them.
  const columns = [];
  for (const record of records) {
    for (const key of Object.keys(record)) if (!columns.includes(key)) columns.push(key);
  }
  return h('div', { class: 'table-wrap script-table-wrap', tabindex: '0', role: 'region', 'aria-label': 'Result table' },
    h('table', { class: 'script-table' },
      h('caption', { class: 'visually-hidden', text: `${records.length} records` }),
      h('thead', {}, h('tr', {}, ...columns.map((column) => h('th', { scope: 'col', text: column })))),
      h('tbody', {}, ...records.map((record) => h('tr', {}, ...columns.map((column) =>
        h('td', { text: cellText(record[column]) })))))));
}

function cellText(value) {
  if (value === undefined) return '';
  if (value === null) return '—';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
