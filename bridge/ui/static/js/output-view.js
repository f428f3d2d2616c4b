// A run's printed output as it streams: lines by their number in the output, coloured by what they are.
//
// Lines come from /api/ws `log_entry` events (numbered by `line`) and from polls of the whole output
// (which fill whatever a socket missed); a line is drawn once, in its place.

import { h, clear } from './dom.js';

/** The class of one output line: the bridge prefixes unreal.log_warning/log_error lines in the output. */
export function lineClass(text, stream) {
  if (stream === 'stderr' || text.startsWith('Error: ') || text.startsWith('Traceback (most recent call last)')) {
    return 'line error';
  }
  if (text.startsWith('Warning: ')) return 'line warning';
  return 'line';
}

export class OutputView {
  constructor({ label = 'Output', id = 'output' } = {}) {
    this.element = h('pre', {
      id, class: 'output', tabindex: '0', role: 'log', 'aria-live': 'polite', 'aria-label': label,
    });
    this.lines = [];
    this.drawn = 0;
    this.tail = '';
  }

  reset(placeholder = '') {
    this.lines = [];
    this.drawn = 0;
    this.tail = '';
    clear(this.element);
    if (placeholder) this.element.appendChild(h('span', { class: 'line system' }, placeholder));
  }

  /** One numbered line (from a log_entry). */
  put(number, text, stream) {
    if (number === null || number === undefined || this.lines[number] !== undefined) return;
    this.lines[number] = { text, stream };
    this.draw();
  }

  /** The whole output so far (from a poll or the final reply): fills the lines not seen yet. */
  putAll(output) {
    const parts = output.split('\n');
    const tail = parts.pop();
    parts.forEach((text, number) => {
      if (this.lines[number] === undefined) this.lines[number] = { text, stream: null };
    });
    // At its end a run sends its unterminated last line as a numbered line too: never draw it twice.
    this.tail = this.lines[parts.length] === undefined ? tail : '';
    this.draw(true);
  }

  draw(withTail = false) {
    const atBottom = this.element.scrollHeight - this.element.scrollTop - this.element.clientHeight < 30;
    if (this.drawn === 0) clear(this.element);
    while (this.lines[this.drawn] !== undefined) {
      const { text, stream } = this.lines[this.drawn];
      this.element.appendChild(h('span', { class: lineClass(text, stream) }, `${text}\n`));
      this.drawn += 1;
    }
    const old = this.element.querySelector('.tail');
    if (old) old.remove();
    if (withTail && this.tail) this.element.appendChild(h('span', { class: `${lineClass(this.tail)} tail` }, this.tail));
    if (atBottom) this.element.scrollTop = this.element.scrollHeight;
  }

  note(text, kind = 'system') {
    this.element.appendChild(h('span', { class: `line ${kind}` }, `${text}\n`));
  }
}
