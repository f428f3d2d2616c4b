// The Python Tutor-style stepper: the program with the next and the previous line marked, step
// controls (buttons, a slider, arrow keys), stdout so far, the frames and the heap with arrows.
import { clear, h } from '/ui/js/dom.js';
import { createArrowLayer, drawArrows } from './arrows.js';
import { renderFrames, rootRefs } from './frames.js';
import { renderHeap } from './heap.js';

const EDITABLE = 'input, textarea, select, [contenteditable=""], [contenteditable="true"]';

export class TraceStepper {
  constructor() {
    this.steps = [];
    this.index = -1;
    this.live = false;
    this.frame = 0;
    this.lines = [];
    this.build();
    this.onKey = (event) => this.key(event);
    document.addEventListener('keydown', this.onKey);
    this.resize = new ResizeObserver(() => this.drawArrowsSoon());
    this.resize.observe(this.drawing);
  }

  build() {
    const button = (text, label, action) => h('button', {
      type: 'button', class: 'trace-step-button', text, 'aria-label': label, onClick: action,
    });
    this.code = h('ol', { class: 'trace-code', 'aria-label': 'Program, with the line to run next marked' });
    this.first = button('« First', 'First step', () => this.go(0));
    this.prev = button('◀ Prev', 'Previous step', () => this.go(this.index - 1));
    this.next = button('Next ▶', 'Next step', () => this.go(this.index + 1));
    this.last = button('Last »', 'Last step', () => this.go(this.steps.length - 1));
    this.slider = h('input', {
      type: 'range', class: 'trace-slider', min: '1', max: '1', value: '1', 'aria-label': 'Step',
      onInput: () => this.go(Number(this.slider.value) - 1),
    });
    this.position = h('p', { class: 'trace-position', 'aria-live': 'polite', text: 'No trace yet.' });
    this.message = h('div', { class: 'trace-message', role: 'status' });
    this.stdout = h('pre', { class: 'trace-stdout', tabindex: '0', 'aria-label': 'Output so far' });
    this.frames = h('div', { class: 'trace-frames-body' });
    this.heap = h('div', { class: 'trace-heap-body' });
    this.layer = createArrowLayer();
    this.drawing = h('div', { class: 'trace-drawing' },
      h('section', { class: 'trace-frames', 'aria-label': 'Frames' }, h('h3', { text: 'Frames' }), this.frames),
      h('section', { class: 'trace-heap', 'aria-label': 'Objects' }, h('h3', { text: 'Objects' }), this.heap));
    this.drawing.append(this.layer);
    this.root = h('section', { class: 'trace-stepper', 'aria-label': 'Trace stepper' },
      h('div', { class: 'trace-side' },
        this.code,
        h('p', { class: 'trace-legend' },
          h('span', { class: 'trace-legend-current', text: '➜ next line to run' }),
          h('span', { class: 'trace-legend-previous', text: '➜ line that just ran' })),
        h('div', { class: 'trace-controls', role: 'group', 'aria-label': 'Step through the trace' },
          this.first, this.prev, this.slider, this.next, this.last),
        this.position,
        this.message,
        h('h3', { text: 'Output' }),
        this.stdout),
      this.drawing);
    this.update();
  }

  setProgram(code) {
    clear(this.code);
    const lines = code.replace(/\n$/, '').split('\n');
    this.lines = lines.map((text, index) => h('li', { class: 'trace-line', 'data-line': String(index + 1) },
      h('span', { class: 'trace-gutter', 'aria-hidden': 'true' }),
      h('span', { class: 'trace-lineno', 'aria-hidden': 'true', text: String(index + 1) }),
      h('code', { text: text || ' ' })));
    this.code.append(...this.lines);
  }

  // Steps arriving while the program runs: the view follows them while it is at the newest step.
  start() {
    this.steps = [];
    this.index = -1;
    this.live = true;
    this.update();
  }

  push(step) {
    const following = this.index >= this.steps.length - 1;
    this.steps.push(step);
    if (following) this.index = this.steps.length - 1;
    this.updateSoon();
  }

  finish() {
    this.live = false;
    this.updateSoon();
  }

  load(steps) {
    this.steps = [...steps];
    this.index = steps.length ? 0 : -1;
    this.live = false;
    this.update();
  }

  go(index) {
    if (!this.steps.length) return;
    const bounded = Math.min(Math.max(index, 0), this.steps.length - 1);
    if (bounded === this.index) return;
    this.index = bounded;
    this.update();
  }

  key(event) {
    if (!this.root.isConnected || !this.steps.length || event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.target instanceof Element && event.target.closest(EDITABLE)) return;
    const moves = {
      ArrowLeft: () => this.go(this.index - 1),
      ArrowRight: () => this.go(this.index + 1),
      Home: () => this.go(0),
      End: () => this.go(this.steps.length - 1),
    };
    const move = moves[event.key];
    if (!move) return;
    event.preventDefault();
    move();
  }

  updateSoon() {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.update();
    });
  }

  update() {
    const count = this.steps.length;
    const step = this.steps[this.index];
    this.slider.max = String(Math.max(count, 1));
    this.slider.value = String(this.index + 1);
    this.slider.disabled = count < 2;
    this.first.disabled = this.prev.disabled = this.index <= 0;
    this.next.disabled = this.last.disabled = this.index >= count - 1;
    this.root.classList.toggle('is-live', this.live);
    if (!step) {
      this.position.textContent = this.live ? 'Running… waiting for the first step.' : 'No trace yet.';
      this.markLines(undefined, undefined);
      this.showMessage(null);
      this.stdout.textContent = '';
      clear(this.frames);
      clear(this.heap);
      this.drawArrowsSoon();
      return;
    }
    const previous = this.index > 0 ? this.lastLine(this.index - 1) : undefined;
    this.markLines(step.line, previous);
    const where = !step.line ? '' : step.event === 'return' ? `, returning from line ${step.line}` : `, line ${step.line} next`;
    this.position.textContent = `Step ${this.index + 1} of ${count}${where}${this.live ? ' (running…)' : ''}`;
    this.showMessage(step);
    const state = this.stateAt(this.index);
    this.stdout.textContent = state ? state.stdout || '' : '';
    clear(this.frames);
    clear(this.heap);
    if (state) {
      this.frames.append(renderFrames(state));
      this.heap.append(renderHeap(state.heap || {}, rootRefs(state)));
    }
    this.drawArrowsSoon();
  }

  // Python Tutor's last entries (input wanted, step limit) and a syntax error carry no program state:
  // they show the state of the last step that has one.
  stateAt(index) {
    for (let i = index; i >= 0; i -= 1) {
      if (this.steps[i].globals) return this.steps[i];
    }
    return null;
  }

  lastLine(index) {
    for (let i = index; i >= 0; i -= 1) {
      if (this.steps[i].line) return this.steps[i].line;
    }
    return undefined;
  }

  markLines(current, previous) {
    for (const line of this.lines) {
      const number = Number(line.dataset.line);
      line.classList.toggle('is-current', number === current);
      line.classList.toggle('is-previous', number === previous && number !== current);
      line.classList.toggle('is-both', number === previous && number === current);
      if (number === current) line.setAttribute('aria-current', 'step');
      else line.removeAttribute('aria-current');
    }
    const marked = this.lines[(current || previous || 1) - 1];
    if (marked) this.keepVisible(marked);
  }

  // Scrolls the code listing only (never the page), so stepping keeps the marked line in view.
  keepVisible(line) {
    const list = this.code;
    const top = line.offsetTop;
    const bottom = top + line.offsetHeight;
    if (top < list.scrollTop) list.scrollTop = top;
    else if (bottom > list.scrollTop + list.clientHeight) list.scrollTop = bottom - list.clientHeight;
  }

  showMessage(step) {
    clear(this.message);
    this.message.className = 'trace-message';
    if (!step) return;
    const say = (kind, text) => {
      this.message.classList.add(kind);
      this.message.append(h('p', { text }));
    };
    if (step.event === 'exception' || step.event === 'uncaught_exception') say('is-error', step.exception_msg || 'exception');
    else if (step.event === 'instruction_limit_reached') say('is-warning', step.exception_msg || 'step limit reached');
    else if (step.event === 'raw_input') say('is-info', `The program asks for input: ${step.prompt || ''}`);
    else if (step.event === 'return' && step.func_name === '<module>') say('is-info', 'Program finished.');
  }

  drawArrowsSoon() {
    requestAnimationFrame(() => {
      if (this.root.isConnected) drawArrows(this.drawing, this.layer);
    });
  }

  destroy() {
    document.removeEventListener('keydown', this.onKey);
    this.resize.disconnect();
    if (this.frame) cancelAnimationFrame(this.frame);
  }
}
