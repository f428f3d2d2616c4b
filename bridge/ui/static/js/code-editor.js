// A code editor: a real <textarea> (so typing, selection, undo and screen readers work as usual) laid
// over a highlighted copy of its text, with line numbers.
//
// Keys: Ctrl/Cmd+Enter runs; Tab and Shift+Tab indent and dedent (press Escape first and Tab leaves the
// editor, as in VS Code's "tab moves focus"); Enter keeps the indentation; Up on the first line and Down
// on the last line walk the command history.

import { h } from './dom.js';
import { highlightPython } from './python-syntax.js';

const INDENT = '    ';

export function createCodeEditor({ value = '', label = 'Python code', onRun, onHistory, id = 'code' } = {}) {
  const gutter = h('div', { class: 'editor-gutter', 'aria-hidden': 'true' });
  const highlighted = h('pre', { class: 'editor-highlight', 'aria-hidden': 'true' });
  const textarea = h('textarea', {
    id, class: 'editor-input', spellcheck: false, autocapitalize: 'off', autocomplete: 'off', wrap: 'off',
    'aria-label': label, 'aria-describedby': `${id}-keys`, 'aria-multiline': 'true',
  });
  const keys = h('p', { id: `${id}-keys`, class: 'muted small-print' },
    'Ctrl+Enter runs. Up on the first line and Down on the last recall earlier commands. ',
    'Tab indents; press Escape, then Tab, to leave the editor.');
  const element = h('div', { class: 'editor-wrap' },
    h('div', { class: 'editor' }, gutter, h('div', { class: 'editor-body' }, highlighted, textarea)), keys);
  let tabLeaves = false;
  let markedLine = null;
  let frame = 0;

  function render() {
    frame = 0;
    const text = textarea.value;
    highlighted.replaceChildren(highlightPython(text));
    // A <pre> drops a final empty line; the textarea shows it, so the copy must too.
    if (text.endsWith('\n') || text === '') highlighted.appendChild(document.createTextNode(' '));
    const lines = text.split('\n').length;
    const numbers = [];
    for (let n = 1; n <= lines; n += 1) numbers.push(n);
    gutter.textContent = numbers.join('\n');
    if (markedLine !== null) markLine(markedLine);
  }

  function scheduleRender() {
    if (!frame) frame = requestAnimationFrame(render);
  }

  function lineBounds(text, position) {
    const start = text.lastIndexOf('\n', position - 1) + 1;
    const end = text.indexOf('\n', position);
    return [start, end < 0 ? text.length : end];
  }

  function replaceRange(start, end, text, caretStart, caretEnd = caretStart) {
    textarea.setSelectionRange(start, end);
    // execCommand keeps the browser's undo history; setRangeText is the fallback where it is gone.
    if (!document.execCommand || !document.execCommand('insertText', false, text)) {
      textarea.setRangeText(text, start, end, 'end');
    }
    textarea.setSelectionRange(caretStart, caretEnd);
    scheduleRender();
  }

  function indentSelection(outdent) {
    const text = textarea.value;
    const { selectionStart: from, selectionEnd: to } = textarea;
    if (!outdent && from === to) {
      replaceRange(from, to, INDENT, from + INDENT.length);
      return;
    }
    const start = text.lastIndexOf('\n', from - 1) + 1;
    const block = text.slice(start, to);
    const lines = block.split('\n');
    const changed = lines.map((line) => {
      if (!outdent) return INDENT + line;
      const spaces = line.match(/^ {1,4}/);
      return spaces ? line.slice(spaces[0].length) : line.replace(/^\t/, '');
    });
    const replacement = changed.join('\n');
    const firstShift = changed[0].length - lines[0].length;
    replaceRange(start, to, replacement, Math.max(start, from + firstShift), start + replacement.length);
  }

  function newline() {
    const text = textarea.value;
    const { selectionStart: from, selectionEnd: to } = textarea;
    const [start] = lineBounds(text, from);
    const line = text.slice(start, from);
    let indent = line.match(/^[ \t]*/)[0];
    if (/:\s*(#.*)?$/.test(line)) indent += INDENT;
    replaceRange(from, to, `\n${indent}`, from + 1 + indent.length);
  }

  textarea.addEventListener('keydown', (event) => {
    const text = textarea.value;
    if ((event.ctrlKey || event.metaKey) && event.key === 'Enter') {
      event.preventDefault();
      if (onRun) onRun();
      return;
    }
    if (event.key === 'Escape') {
      tabLeaves = true;
      return;
    }
    if (event.key === 'Tab' && !tabLeaves && !event.ctrlKey && !event.altKey && !event.metaKey) {
      event.preventDefault();
      indentSelection(event.shiftKey);
      return;
    }
    tabLeaves = false;
    if (event.key === 'Enter' && !event.shiftKey && !event.altKey) {
      event.preventDefault();
      newline();
      return;
    }
    const { selectionStart: from, selectionEnd: to } = textarea;
    if (onHistory && from === to && !event.shiftKey && !event.altKey && !event.ctrlKey && !event.metaKey) {
      if (event.key === 'ArrowUp' && text.lastIndexOf('\n', from - 1) < 0) {
        if (onHistory(-1)) event.preventDefault();
      } else if (event.key === 'ArrowDown' && text.indexOf('\n', from) < 0) {
        if (onHistory(1)) event.preventDefault();
      }
    }
  });
  textarea.addEventListener('input', scheduleRender);
  textarea.addEventListener('blur', () => { tabLeaves = false; });

  /** Highlight the number of line `n` (1-based) in the gutter, e.g. the line a traceback names. */
  function markLine(n) {
    markedLine = n;
    const lines = gutter.textContent.split('\n');
    gutter.replaceChildren(...lines.map((number, index) => (index + 1 === n
      ? h('span', { class: 'marked-line' }, number) : `${number}`)).flatMap((part, index) => (
      index < lines.length - 1 ? [part, '\n'] : [part])));
  }

  const editor = {
    element,
    textarea,
    get value() { return textarea.value; },
    set value(text) {
      textarea.value = text;
      markedLine = null;
      render();
    },
    focus() { textarea.focus(); },
    /** Put the caret at the start of line `n` (1-based), mark it, and show it. */
    goToLine(n) {
      const lines = textarea.value.split('\n');
      const line = Math.min(Math.max(1, n), lines.length);
      let position = 0;
      for (let i = 0; i < line - 1; i += 1) position += lines[i].length + 1;
      const indent = lines[line - 1].match(/^\s*/)[0].length;
      textarea.focus();
      textarea.setSelectionRange(position + indent, position + lines[line - 1].length);
      markLine(line);
      const scroller = element.querySelector('.editor');
      const top = (line - 1) * 20;
      if (top < scroller.scrollTop || top > scroller.scrollTop + scroller.clientHeight - 40) {
        scroller.scrollTop = Math.max(0, top - scroller.clientHeight / 2);
      }
    },
    /** Which line (1-based) the caret is on. */
    caretLine() {
      return textarea.value.slice(0, textarea.selectionStart).split('\n').length;
    },
    clearMark() {
      markedLine = null;
      render();
    },
  };
  editor.value = value;
  return editor;
}
