// A code area for the Trace and Sandbox pages: monospace, Tab indents, Ctrl+Enter runs.
import { h } from '/ui/js/dom.js';
import { useStylesheet } from './stylesheet.js';

const INDENT = '    ';

// Tab indents inside the code, as in any editor; Escape first lets the next Tab leave the field,
// so keyboard users are never trapped in it (the hint under the field says so).
export function codeInput({ id, label, value = '', rows = 12, hint = '' }) {
  useStylesheet('/ui/css/page-parts.css');
  let escaped = false;
  const hintId = `${id}-hint`;
  const area = h('textarea', {
    id,
    class: 'code-input',
    rows: String(rows),
    autocomplete: 'off',
    autocapitalize: 'off',
    wrap: 'off',
    'aria-describedby': hintId,
    onKeydown: (event) => {
      if (event.key === 'Escape') {
        escaped = true;
        return;
      }
      if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        area.form?.requestSubmit();
        return;
      }
      if (event.key === 'Tab' && !escaped && !event.ctrlKey && !event.altKey && !event.metaKey) {
        event.preventDefault();
        if (event.shiftKey) outdent(area); else indent(area);
      }
      escaped = false;
    },
  });
  area.value = value;
  area.spellcheck = false; // h() skips false attributes, and the string 'false' would switch it on
  const field = h('div', { class: 'field code-field' },
    h('label', { for: id, text: label }),
    area,
    h('p', { id: hintId, class: 'hint', text: hint || 'Tab indents; Esc then Tab leaves the field; Ctrl+Enter runs.' }));
  return { field, area };
}

function indent(area) {
  const { selectionStart: start, selectionEnd: end, value } = area;
  if (start === end) {
    area.setRangeText(INDENT, start, end, 'end');
    return;
  }
  const first = value.lastIndexOf('\n', start - 1) + 1;
  const block = value.slice(first, end).replace(/^/gm, INDENT);
  area.setRangeText(block, first, end, 'select');
}

function outdent(area) {
  const { selectionStart: start, selectionEnd: end, value } = area;
  const first = value.lastIndexOf('\n', start - 1) + 1;
  const block = value.slice(first, end).replace(/^ {1,4}/gm, '');
  area.setRangeText(block, first, end, start === end ? 'end' : 'select');
}
