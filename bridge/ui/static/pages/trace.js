// The Trace page (#/trace, #/trace/<session_id>): a program in, then a Python Tutor-style stepper over
// the OPT steps the bridge's tracer returns, live while it runs; input() is asked for in the page.
import { clear, formatDuration, h } from '/ui/js/dom.js';
import { createCodeEditor } from '/ui/js/code-editor.js';
import { useStylesheet } from './parts/stylesheet.js';
import { TraceStepper } from './trace/stepper.js';
import {
  LiveTrace, describeFailure, fitsStream, loadSession, postTrace, streamTrace,
} from './trace/transport.js';

const EXAMPLE = `def add(items, value):
    items.append(value)
    return len(items)

a = [1, 2]
b = a
n = add(b, 3)
print(a, n)
`;
const MAX_STEPS = 10000;

export async function mount(container, params) {
  useStylesheet('/ui/css/page-parts.css');
  useStylesheet('/ui/css/trace.css');
  const page = new TracePage(container);
  if (params.id) await page.openSession(params.id);
  return () => page.destroy();
}

class TracePage {
  constructor(container) {
    this.abort = null;
    this.live = new LiveTrace();
    this.stepper = new TraceStepper();
    this.editor = createCodeEditor({ id: 'trace-code', label: 'Program (Python)', value: EXAMPLE, onRun: () => this.run() });
    this.userInput = h('textarea', {
      id: 'trace-user-input', class: 'trace-user-input', rows: '2', autocomplete: 'off',
      'aria-describedby': 'trace-user-input-hint',
    });
    this.maxSteps = h('input', {
      id: 'trace-max-steps', type: 'number', min: '1', max: String(MAX_STEPS), step: '1', value: '1000',
      inputmode: 'numeric', required: true,
    });
    this.runButton = h('button', { type: 'submit', class: 'primary', text: 'Run' });
    this.stopButton = h('button', { type: 'button', text: 'Stop', disabled: true, onClick: () => this.stop() });
    this.status = h('div', { class: 'trace-status', role: 'status', 'aria-live': 'polite' });
    this.askLabel = h('label', { for: 'trace-answer', class: 'trace-ask-prompt' });
    this.askInput = h('input', { id: 'trace-answer', type: 'text', autocomplete: 'off' });
    this.askForm = h('form', { class: 'trace-ask card', hidden: true, 'aria-label': 'The program asks for input' },
      h('p', { class: 'trace-ask-title', text: 'The program waits for input:' }),
      h('div', { class: 'row' }, this.askLabel, this.askInput,
        h('button', { type: 'submit', class: 'primary', text: 'Send' })),
      h('p', { class: 'hint', text: 'The run’s time limit keeps counting while it waits for your answer.' }));
    this.askForm.addEventListener('submit', (event) => {
      event.preventDefault();
      this.answer(this.askInput.value);
    });
    const form = h('form', { class: 'card trace-form', 'aria-label': 'Program to trace' },
      h('div', { class: 'field code-field' },
        h('label', { for: 'trace-code', text: 'Program (Python)' }), this.editor.element),
      h('div', { class: 'trace-form-row' },
        h('div', { class: 'field grow' },
          h('label', { for: 'trace-user-input', text: 'Answers for input(), one per line (optional)' }),
          this.userInput,
          h('p', { id: 'trace-user-input-hint', class: 'hint',
            text: 'When these run out, the page asks you and adds your answers here.' })),
        h('div', { class: 'field' },
          h('label', { for: 'trace-max-steps', text: 'Max steps' }), this.maxSteps),
        h('div', { class: 'row trace-buttons' }, this.runButton, this.stopButton)));
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.run();
    });
    this.root = h('div', { class: 'trace-page' },
      h('h1', { text: 'Trace' }),
      h('p', { class: 'muted', text: 'Run Python step by step and see every variable and object, as Python Tutor shows them. '
        + 'Use the buttons, the slider or the ← → keys to step.' }),
      form,
      this.status,
      this.askForm,
      h('div', { class: 'card trace-view' }, this.stepper.root));
    clear(container);
    container.append(this.root);
  }

  program() {
    const maxSteps = Math.min(Math.max(Math.trunc(Number(this.maxSteps.value)) || 1000, 1), MAX_STEPS);
    this.maxSteps.value = String(maxSteps);
    return { code: this.editor.value, userInput: this.userInput.value.replace(/\n$/, ''), maxSteps };
  }

  // Every run takes a turn; a run that a newer one (or Stop) replaced no longer touches the page.
  takeTurn() {
    this.turn = (this.turn || 0) + 1;
    return this.turn;
  }

  async run() {
    this.stop();
    const turn = this.takeTurn();
    const program = this.program();
    const abort = new AbortController();
    this.abort = abort;
    this.running(true);
    this.stepper.setProgram(program.code);
    this.stepper.start();
    this.say('is-running', 'Running…');
    const send = fitsStream(program) ? streamTrace : postTrace;
    try {
      const reply = await send(program, { signal: abort.signal, onStep: (step) => this.stepper.push(step) });
      if (turn !== this.turn) return;
      this.stepper.finish();
      this.running(false);
      if (reply.status === 'awaiting_input') {
        this.say('is-waiting', 'The program asks for input.');
        this.ask(lastPrompt(this.stepper.steps), (answer) => this.continueLive(program, answer));
      } else {
        this.summarise(reply);
      }
    } catch (error) {
      if (turn !== this.turn) return;
      this.stepper.finish();
      this.running(false);
      this.failed(error);
    } finally {
      if (this.abort === abort) this.abort = null;
    }
  }

  // The first run over SSE could not wait for an answer; this one, over Socket.IO, can: it runs the
  // program again with every answer so far (traces repeat exactly) and then asks for each further one.
  async continueLive(program, answer) {
    const turn = this.takeTurn();
    const userInput = program.userInput === '' ? answer : `${program.userInput}\n${answer}`;
    this.userInput.value = userInput;
    this.running(true);
    this.stepper.start();
    this.say('is-running', 'Running with your answer…');
    try {
      const reply = await this.live.run({ ...program, userInput }, {
        onStep: (step) => this.stepper.push(step),
        onInput: (prompt) => {
          this.say('is-waiting', 'The program asks for input.');
          this.ask(prompt, (value) => {
            this.userInput.value = this.userInput.value ? `${this.userInput.value}\n${value}` : value;
            this.say('is-running', 'Running with your answer…');
            this.live.answer(value);
          });
        },
      });
      if (turn !== this.turn) return;
      this.summarise(reply);
    } catch (error) {
      if (turn !== this.turn) return;
      this.failed(error);
    } finally {
      if (turn === this.turn) {
        this.stepper.finish();
        this.hideAsk();
        this.running(false);
      }
    }
  }

  ask(prompt, send) {
    this.askLabel.textContent = prompt || 'Answer';
    this.askInput.value = '';
    this.onAnswer = send;
    this.askForm.hidden = false;
    this.askInput.focus();
  }

  answer(value) {
    const send = this.onAnswer;
    this.hideAsk();
    if (send) send(value);
  }

  hideAsk() {
    this.onAnswer = null;
    this.askForm.hidden = true;
  }

  stop() {
    this.takeTurn();
    const busy = Boolean(this.abort || this.live.handlers || !this.askForm.hidden);
    if (this.abort) {
      this.abort.abort();
      this.abort = null;
    }
    this.live.close();
    this.hideAsk();
    this.stepper.finish();
    this.running(false);
    if (busy) this.say('is-warning', 'Stopped.');
  }

  running(on) {
    this.runButton.disabled = on;
    this.stopButton.disabled = !on;
    this.root.classList.toggle('is-running', on);
  }

  async openSession(sessionId) {
    this.say('is-running', 'Loading the stored trace…');
    try {
      const session = await loadSession(sessionId, {});
      this.editor.value = session.code;
      this.userInput.value = Array.isArray(session.user_input) ? session.user_input.join('\n') : session.user_input;
      this.stepper.setProgram(session.code);
      this.stepper.load(session.steps);
      this.summarise(session);
    } catch (error) {
      this.failed(error, 'Could not open the stored trace');
    }
  }

  say(kind, text, ...extra) {
    clear(this.status);
    this.status.className = `trace-status ${kind}`;
    delete this.status.dataset.status;
    this.status.append(h('p', { class: 'trace-status-text', text }), ...extra);
  }

  summarise(reply) {
    const steps = `${reply.total_steps} step${reply.total_steps === 1 ? '' : 's'}`;
    const took = `in ${formatDuration(reply.execution_time)}`;
    const link = reply.session_id
      ? h('a', { href: `#/trace/${encodeURIComponent(reply.session_id)}`, class: 'trace-permalink', text: 'Link to this trace' })
      : null;
    const error = reply.error;
    const where = error && error.line ? ` on line ${error.line}` : '';
    const details = [];
    if (error && error.traceback) details.push(h('pre', { class: 'trace-traceback', text: error.traceback }));
    if (link) details.push(h('p', {}, link));
    const texts = {
      completed: ['is-ok', `Completed: ${steps} ${took}.`],
      error: ['is-error', `Error${where}: ${error ? `${error.type}: ${error.message}` : 'the program failed'} (${steps}).`],
      limit_reached: ['is-warning', `Stopped after ${steps}: the step limit. Raise Max steps or shorten the program.`],
      timeout: ['is-error', `Timed out${where} after ${steps}: the run passed its time limit${error ? ` (${error.message})` : ''}.`],
      memory_limit: ['is-error', `Memory limit${where} after ${steps}: the program used more memory than a run may${error ? ` (${error.message})` : ''}.`],
      awaiting_input: ['is-waiting', `Stopped at input() after ${steps}: it had no more answers.`],
    };
    const [kind, text] = texts[reply.status] || ['is-error', `${reply.status}: ${steps}.`];
    this.say(kind, text, ...details);
    this.status.dataset.status = reply.status;
  }

  failed(error, doing = 'Could not run the trace') {
    const { code, message } = describeFailure(error);
    if (code === 'STOPPED') {
      this.say('is-warning', 'Stopped.');
    } else {
      this.say('is-error', `${doing}: ${message}`);
    }
    this.status.dataset.status = code;
  }

  destroy() {
    this.stop();
    this.stepper.destroy();
  }
}

function lastPrompt(steps) {
  const last = steps[steps.length - 1];
  return last && last.event === 'raw_input' ? last.prompt || '' : '';
}
