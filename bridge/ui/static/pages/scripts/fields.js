// One form control per script parameter, built from its schema (schema.js): text, number with its
// bounds, checkbox, select for an enum, an editable list for an array, key/value rows for a map, and
// JSON text for anything else. Each field reads its value and shows an error on itself.
import { h } from '/ui/js/dom.js';

// Leaving a field empty omits the parameter, so the script's own default applies (or the server says
// that a required one is missing, on that field).
const OMIT = Symbol('omit');
export class FieldError extends Error {}

export function createField(param) {
  const id = `script-param-${param.name}`;
  const kind = param.kind;
  const control = kind === 'array' ? listControl(param, id)
    : kind === 'map' ? mapControl(param, id)
      : singleControl(param, id);
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const error = h('p', { id: errorId, class: 'field-error' });
  const hint = h('p', { id: hintId, class: 'hint', text: hintText(param) });
  const label = [h('span', { text: param.title }),
    param.required ? h('span', { class: 'required-mark', 'aria-hidden': 'true', text: ' *' }) : null,
    param.required ? h('span', { class: 'visually-hidden', text: ' (required)' }) : null];
  const grouped = kind === 'array' || kind === 'map';
  const wrapper = grouped
    ? h('fieldset', { class: `param param-${kind}`, 'data-param': param.name, 'aria-describedby': `${hintId} ${errorId}` },
      h('legend', {}, ...label), control.element, hint, error)
    : h('div', { class: `field param param-${kind}`, 'data-param': param.name },
      kind === 'boolean'
        ? h('div', { class: 'field-inline' }, control.element, h('label', { for: id }, ...label))
        : h('label', { for: id }, ...label),
      kind === 'boolean' ? null : control.element, hint, error);
  for (const input of control.inputs()) describedBy(input, hintId, errorId);
  return {
    param,
    element: wrapper,
    // {value} to send, or null to leave the parameter out; FieldError when the text cannot be a value.
    read() {
      const value = control.read();
      return value === OMIT ? null : { value };
    },
    showError(message, path = []) {
      error.textContent = message;
      wrapper.classList.add('has-error');
      const inputs = control.inputsAt(path);
      for (const input of inputs) input.setAttribute('aria-invalid', 'true');
    },
    clearError() {
      error.textContent = '';
      wrapper.classList.remove('has-error');
      for (const input of wrapper.querySelectorAll('[aria-invalid]')) input.removeAttribute('aria-invalid');
    },
    focus() {
      const [first] = control.inputsAt([]);
      (wrapper.querySelector('[aria-invalid="true"]') || first)?.focus();
    },
  };
}

function describedBy(input, ...ids) {
  const existing = input.getAttribute('aria-describedby');
  input.setAttribute('aria-describedby', [existing, ...ids].filter(Boolean).join(' '));
}

function hintText(param) {
  const parts = [];
  if (param.description) parts.push(param.description);
  const range = rangeText(param);
  if (range) parts.push(range);
  if (param.kind === 'array') parts.push(`a list of ${typeName(param.item)}`);
  if (param.kind === 'map') parts.push(`names → ${typeName(param.value)}`);
  if (param.kind === 'json') parts.push('JSON');
  if (param.hasDefault && param.default !== null && param.kind !== 'boolean') {
    parts.push(`default: ${JSON.stringify(param.default)}`);
  }
  if (!param.required && (!param.hasDefault || param.default === null) && param.kind !== 'boolean') {
    parts.push('optional');
  }
  return parts.join(' · ');
}

function rangeText(param) {
  const { minimum, maximum } = param;
  if (minimum === undefined && maximum === undefined) return '';
  const low = minimum === undefined ? '' : `${param.exclusiveMinimum ? '>' : '≥'} ${minimum}`;
  const high = maximum === undefined ? '' : `${param.exclusiveMaximum ? '<' : '≤'} ${maximum}`;
  return [low, high].filter(Boolean).join(' and ');
}

function typeName(param) {
  return { integer: 'whole numbers', number: 'numbers', boolean: 'yes/no', enum: 'choices' }[param.kind] || 'text';
}

// A control for one value: `read()` returns the value or OMIT; `inputs()` every focusable part.
function singleControl(param, id, initial = param.default) {
  const input = valueInput(param, id, initial);
  return {
    element: input,
    read: () => readInput(param, input),
    inputs: () => [input],
    inputsAt: () => [input],
  };
}

function valueInput(param, id, initial) {
  const attrs = { id, name: param.name };
  if (param.required) Object.assign(attrs, { required: true, 'aria-required': 'true' });
  switch (param.kind) {
    case 'boolean':
      return h('input', { ...attrs, type: 'checkbox', checked: Boolean(initial) });
    case 'enum': {
      const select = h('select', attrs);
      const noneAllowed = param.nullable || !param.required;
      if (noneAllowed) select.append(h('option', { value: '', text: param.nullable ? '(none)' : '(default)' }));
      param.choices.forEach((choice, index) => {
        select.append(h('option', { value: String(index), text: String(choice) }));
      });
      const chosen = param.choices.findIndex((choice) => choice === initial);
      select.value = chosen >= 0 ? String(chosen) : noneAllowed ? '' : '0';
      return select;
    }
    case 'integer':
    case 'number': {
      const input = h('input', {
        ...attrs, type: 'number', inputmode: param.kind === 'integer' ? 'numeric' : 'decimal',
        step: param.multipleOf ? String(param.multipleOf) : param.kind === 'integer' ? '1' : 'any',
      });
      if (param.minimum !== undefined) input.min = String(param.minimum);
      if (param.maximum !== undefined) input.max = String(param.maximum);
      if (typeof initial === 'number') input.value = String(initial);
      return input;
    }
    case 'json': {
      const area = h('textarea', { ...attrs, class: 'json-input', rows: '3', spellcheck: false });
      area.spellcheck = false;
      if (initial !== undefined && initial !== null) area.value = JSON.stringify(initial, null, 2);
      return area;
    }
    default: {
      const input = h('input', { ...attrs, type: 'text', autocomplete: 'off' });
      if (param.minLength !== undefined) input.minLength = param.minLength;
      if (param.maxLength !== undefined) input.maxLength = param.maxLength;
      if (typeof initial === 'string') input.value = initial;
      return input;
    }
  }
}

function readInput(param, input) {
  switch (param.kind) {
    case 'boolean':
      return input.checked;
    case 'enum':
      if (input.value === '') return param.nullable ? null : OMIT;
      return param.choices[Number(input.value)];
    case 'integer':
    case 'number':
      if (input.validity.badInput) throw new FieldError('enter a number');
      return input.value === '' ? OMIT : Number(input.value);
    case 'json': {
      const text = input.value.trim();
      if (text === '') return OMIT;
      try {
        return JSON.parse(text);
      } catch (error) {
        throw new FieldError(`not valid JSON: ${error.message}`);
      }
    }
    default:
      return input.value === '' ? OMIT : input.value;
  }
}

// Rows the user adds and removes; what a list or a map of simple values is edited as.
function rowsControl(param, id, { initial, makeRow, readRows, noun }) {
  const list = h('ul', { class: 'param-rows' });
  const rows = [];
  let counter = 0;
  const renumber = () => rows.forEach((row, index) => row.label(index + 1));
  const add = (value, focus) => {
    counter += 1;
    const row = makeRow(`${id}-${counter}`, value);
    const remove = h('button', {
      type: 'button', class: 'small ghost', text: 'Remove',
      onClick: () => {
        rows.splice(rows.indexOf(row), 1);
        row.element.remove();
        renumber();
        addButton.focus();
      },
    });
    row.remove = remove;
    row.element.append(remove);
    rows.push(row);
    list.append(row.element);
    renumber();
    if (focus) row.inputs[0].focus();
  };
  const addButton = h('button', { type: 'button', class: 'small', text: `Add ${noun}`, onClick: () => add(undefined, true) });
  for (const value of initial) add(value, false);
  const element = h('div', { class: 'param-rows-editor' }, list, addButton);
  let sent = [];
  return {
    element,
    read() {
      const { values, used } = readRows(rows);
      sent = used;
      // No rows: left out when that is the script's default (none) or when it is required (the server
      // then names it); an empty list only when the user emptied a default that had items.
      if (rows.length === 0 && (param.required || param.default === null || !param.hasDefault)) return OMIT;
      return values;
    },
    inputs: () => [...rows.flatMap((row) => row.inputs), addButton],
    // A server error about element 2 of what was sent marks the row it came from.
    inputsAt(path) {
      const row = path.length ? sent[Number(path[0])] || rows.find((r) => r.key === path[0]) : undefined;
      return row ? row.inputs : rows.length ? rows[0].inputs : [addButton];
    },
  };
}

function listControl(param, id) {
  const initial = Array.isArray(param.default) ? param.default : [];
  return rowsControl(param, id, {
    initial,
    noun: 'item',
    makeRow: (rowId, value) => {
      const input = valueInput({ ...param.item, name: param.name, required: false, nullable: false }, rowId, value);
      const label = h('label', { for: rowId, class: 'row-label' });
      const row = {
        element: h('li', { class: 'param-row' }, label, input),
        inputs: [input],
        label: (number) => {
          label.textContent = `${number}.`;
          input.setAttribute('aria-label', `${param.title} item ${number}`);
          if (row.remove) row.remove.setAttribute('aria-label', `Remove ${param.title} item ${number}`);
        },
      };
      return row;
    },
    readRows: (rows) => {
      const values = [];
      const used = [];
      for (const row of rows) {
        const value = readInput(param.item, row.inputs[0]);
        if (value === OMIT) continue; // an empty row is no item
        values.push(value);
        used.push(row);
      }
      return { values, used };
    },
  });
}

function mapControl(param, id) {
  const initial = param.default && typeof param.default === 'object' ? Object.entries(param.default) : [];
  return rowsControl(param, id, {
    initial,
    noun: 'entry',
    makeRow: (rowId, entry) => {
      const [key, value] = entry || ['', undefined];
      const keyInput = h('input', { id: `${rowId}-key`, type: 'text', autocomplete: 'off', class: 'map-key' });
      keyInput.value = key;
      const valueControl = valueInput({ ...param.value, name: param.name, required: false, nullable: false },
        `${rowId}-value`, value);
      const row = {
        element: h('li', { class: 'param-row' }, keyInput, h('span', { 'aria-hidden': 'true', text: '→' }), valueControl),
        inputs: [keyInput, valueControl],
        get key() { return keyInput.value; },
        label: (number) => {
          keyInput.setAttribute('aria-label', `${param.title} entry ${number} name`);
          valueControl.setAttribute('aria-label', `${param.title} entry ${number} value`);
          if (row.remove) row.remove.setAttribute('aria-label', `Remove ${param.title} entry ${number}`);
        },
      };
      return row;
    },
    readRows: (rows) => {
      const values = {};
      const used = [];
      for (const row of rows) {
        if (row.inputs[0].value === '') continue;
        const value = readInput(param.value, row.inputs[1]);
        values[row.inputs[0].value] = value === OMIT ? '' : value;
        used.push(row);
      }
      return { values, used };
    },
  });
}
