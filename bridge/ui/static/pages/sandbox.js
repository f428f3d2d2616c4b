// The Sandbox page (#/sandbox): untrusted code in any installed language under hard limits
// (POST /api/execute), with the languages, versions and limits that GET /api/runtimes reports.
import { ApiError, api } from '/ui/js/api.js';
import { clear, formatBytes, h } from '/ui/js/dom.js';
import { codeInput } from './parts/code-input.js';
import { useStylesheet } from './parts/stylesheet.js';
import { EXAMPLES, EXAMPLE_STDIN } from './sandbox/examples.js';

// What each `status` of a run means (docs/sandbox.md).
const STATUS_TEXT = {
  ok: 'Finished with exit code 0.',
  runtime_error: 'The program failed: non-zero exit code.',
  compile_error: 'The compiler refused the code: see the compiler output.',
  timeout: 'Stopped: it ran out of time (the wall-clock or CPU limit).',
  memory_limit: 'Stopped: it used more memory than its limit.',
  output_limit: 'Stopped: its output passed the size limit; what it printed is cut.',
  signal: 'Killed by a signal.',
};
const LIMITS = [
  { name: 'timeout_ms', label: 'Time limit (ms)', min: 1 },
  { name: 'memory_mb', label: 'Memory (MiB)', min: 16 },
  { name: 'cpu_count', label: 'CPU cores', min: 1 },
];

export async function mount(container) {
  useStylesheet('/ui/css/sandbox.css');
  const abort = new AbortController();
  const page = new SandboxPage(container, abort.signal);
  await page.loadRuntimes();
  return () => abort.abort();
}

class SandboxPage {
  constructor(container, signal) {
    this.signal = signal;
    this.runtimes = [];
    this.language = h('select', { id: 'sandbox-language', onChange: () => this.chooseLanguage() });
    this.version = h('select', { id: 'sandbox-version' });
    const code = codeInput({ id: 'sandbox-code', label: 'Code', rows: 14 });
    this.code = code.area;
    this.stdin = h('textarea', { id: 'sandbox-stdin', class: 'code-input', rows: '3' });
    this.stdin.value = EXAMPLE_STDIN;
    this.limits = {};
    const limitFields = LIMITS.map(({ name, label, min }) => {
      const input = h('input', { id: `sandbox-${name}`, name, type: 'number', min: String(min), step: '1',
        inputmode: 'numeric', 'aria-describedby': `sandbox-${name}-range` });
      this.limits[name] = input;
      return h('div', { class: 'field' },
        h('label', { for: input.id, text: label }), input,
        h('span', { id: `sandbox-${name}-range`, class: 'hint' }));
    });
    this.runButton = h('button', { type: 'submit', class: 'primary', text: 'Run' });
    this.formError = h('p', { class: 'field-error', role: 'alert' });
    this.result = h('section', { class: 'sandbox-result', 'aria-live': 'polite', 'aria-label': 'Result' });
    this.form = h('form', { class: 'card sandbox-form', 'aria-label': 'Code to run in the sandbox' },
      h('div', { class: 'sandbox-pickers' },
        h('div', { class: 'field' }, h('label', { for: 'sandbox-language', text: 'Language' }), this.language),
        h('div', { class: 'field' }, h('label', { for: 'sandbox-version', text: 'Version' }), this.version)),
      code.field,
      h('div', { class: 'field' }, h('label', { for: 'sandbox-stdin', text: 'Standard input' }), this.stdin),
      h('fieldset', { class: 'sandbox-limits' }, h('legend', { text: 'Limits' }), ...limitFields),
      h('div', { class: 'row' }, this.runButton),
      this.formError);
    this.form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.run();
    });
    clear(container);
    container.append(h('div', { class: 'sandbox-page' },
      h('h1', { text: 'Sandbox' }),
      h('p', { class: 'muted', text: 'Run code nobody has reviewed in a throw-away box: no network, no host files, '
        + 'hard time and memory limits. It never runs in the editor.' }),
      this.form,
      this.result));
  }

  async loadRuntimes() {
    try {
      const reply = await api('GET', '/api/runtimes', undefined, { signal: this.signal });
      this.runtimes = reply.runtimes;
    } catch (error) {
      if (error.name === 'AbortError') return;
      this.formError.textContent = `Could not list the languages: ${error.message}`;
      this.runButton.disabled = true;
      return;
    }
    clear(this.language);
    for (const runtime of this.runtimes) {
      const label = runtime.available ? runtime.language : `${runtime.language} (not installed)`;
      this.language.append(h('option', {
        value: runtime.language, text: label, disabled: !runtime.available, title: runtime.reason || '',
      }));
    }
    const first = this.runtimes.find((runtime) => runtime.available);
    if (!first) {
      // One reason (the sandbox itself cannot run) is usually behind every language: say it once.
      const reasons = [...new Set(this.runtimes.map((runtime) => runtime.reason || 'not installed'))];
      this.formError.textContent = `No language can run here: ${reasons.join('; ')}`;
      this.runButton.disabled = true;
      return;
    }
    this.language.value = first.language;
    this.chooseLanguage();
  }

  runtime() {
    return this.runtimes.find((runtime) => runtime.language === this.language.value);
  }

  // A new language brings its versions, its default and largest limits, and its example, unless the
  // code area holds something the user wrote.
  chooseLanguage() {
    const runtime = this.runtime();
    if (!runtime) return;
    clear(this.version);
    for (const version of runtime.versions) {
      const isDefault = version === runtime.default_version;
      this.version.append(h('option', { value: version, text: isDefault ? `${version} (default)` : version }));
    }
    if (runtime.default_version) this.version.value = runtime.default_version;
    for (const { name } of LIMITS) {
      const input = this.limits[name];
      input.max = String(runtime.max_limits[name]);
      input.value = String(runtime.default_limits[name]);
      document.getElementById(`sandbox-${name}-range`).textContent = `${input.min}–${runtime.max_limits[name]}`;
    }
    const untouched = this.code.value === '' || Object.values(EXAMPLES).includes(this.code.value);
    if (untouched) this.code.value = EXAMPLES[runtime.language] || '';
  }

  request() {
    const body = {
      code: this.code.value, language: this.language.value, stdin: this.stdin.value,
    };
    if (this.version.value) body.language_version = this.version.value;
    for (const { name } of LIMITS) {
      const text = this.limits[name].value.trim();
      // Sent as typed: the server's range check says which limit is wrong and by how much.
      if (text !== '') body[name] = Number(text);
    }
    return body;
  }

  async run() {
    this.formError.textContent = '';
    this.runButton.disabled = true;
    clear(this.result);
    this.result.append(h('p', { class: 'sandbox-running', text: 'Running…' }));
    const started = performance.now();
    const took = () => Math.round(performance.now() - started);
    try {
      const reply = await api('POST', '/api/execute', this.request(), { signal: this.signal });
      this.show(reply, took());
    } catch (error) {
      if (error.name === 'AbortError') return;
      // A wall-clock timeout is a 408 whose body still holds the run's reply, with what it printed.
      if (error instanceof ApiError && error.status === 408 && error.body && 'stdout' in error.body) {
        this.show(error.body, took());
      } else {
        clear(this.result);
        this.result.append(h('div', { class: 'notice error', role: 'alert' },
          h('strong', { text: `Could not run (${error.code || error.status || 'error'}): ` }),
          error.message));
      }
    } finally {
      this.runButton.disabled = false;
    }
  }

  // `roundTripMs`: the whole request as the page saw it, compiling and queueing included.
  show(reply, roundTripMs) {
    clear(this.result);
    const ok = reply.status === 'ok';
    const facts = [
      ['Language', `${reply.language} ${reply.language_version}`],
      ['Exit code', reply.exit_code === null || reply.exit_code === undefined ? '—' : String(reply.exit_code)],
      ['Wall time', `${reply.execution_time_ms} ms`],
      ['Round trip', `${roundTripMs} ms (compiling and waiting included)`],
      ['CPU time', reply.cpu_time_ms === null || reply.cpu_time_ms === undefined ? '—' : `${reply.cpu_time_ms} ms`],
      ['Memory (peak)', reply.memory_kb === null || reply.memory_kb === undefined ? '—' : formatBytes(reply.memory_kb * 1024)],
    ];
    if (reply.signal) facts.push(['Signal', reply.signal]);
    facts.push(['Request', reply.request_id]);
    const card = h('div', { class: 'card sandbox-reply', 'data-status': reply.status },
      h('p', { class: 'sandbox-status' },
        h('span', { class: `badge ${ok ? 'ok' : 'bad'}`, text: reply.status }),
        ' ',
        h('span', { text: STATUS_TEXT[reply.status] || reply.status })),
      h('dl', { class: 'facts sandbox-facts' }, ...facts.flatMap(([name, value]) =>
        [h('dt', { text: name }), h('dd', { text: value })])));
    if (reply.compile_output) card.append(stream('Compiler output', 'sandbox-compile', reply.compile_output, false));
    card.append(stream('stdout', 'sandbox-stdout', reply.stdout, reply.stdout_truncated));
    if (reply.stderr || reply.stderr_truncated) {
      card.append(stream('stderr', 'sandbox-stderr', reply.stderr, reply.stderr_truncated));
    }
    this.result.append(card);
  }
}

function stream(title, id, text, truncated) {
  return h('section', { class: 'sandbox-stream', 'aria-labelledby': `${id}-title` },
    h('h3', { id: `${id}-title`, text: truncated ? `${title} (cut at the output limit)` : title }),
    h('pre', { id, class: `output ${id === 'sandbox-stderr' ? 'is-stderr' : ''}`, tabindex: '0', text: text || '' }));
}
