// The Scripts page (#/scripts, #/scripts/<name>): every named editor script with its description, and a
// form generated from the chosen script's parameter schema; it runs the script on the game thread
// (POST /api/v1/scripts/<name>/run) and shows the server's validation messages on the fields at fault.
import { ApiError, api } from '/ui/js/api.js';
import { clear, formatDuration, h } from '/ui/js/dom.js';
import { FieldError, createField } from './scripts/fields.js';
import { paramProblems } from './scripts/errors.js';
import { renderResult } from './scripts/result.js';
import { paramsOf } from './scripts/schema.js';
import { useStylesheet } from './parts/stylesheet.js';

const POLL_MS = 500;
const FINISHED = new Set(['completed', 'failed', 'cancelled']);

export async function mount(container, params) {
  useStylesheet('/ui/css/page-parts.css');
  useStylesheet('/ui/css/scripts.css');
  const abort = new AbortController();
  const page = new ScriptsPage(container, abort.signal);
  await page.load(params.id);
  return () => abort.abort();
}

class ScriptsPage {
  constructor(container, signal) {
    this.signal = signal;
    this.list = h('ul', { class: 'script-list', 'aria-label': 'Scripts' });
    this.detail = h('section', { class: 'card script-detail', 'aria-live': 'polite' });
    clear(container);
    container.append(h('div', { class: 'scripts-page' },
      h('h1', { text: 'Scripts' }),
      h('p', { class: 'muted', text: 'Named editor scripts with typed parameters. Pick one, fill in its form and run it '
        + 'in the editor.' }),
      h('div', { class: 'scripts-layout' },
        h('nav', { class: 'card script-nav', 'aria-label': 'Scripts' }, this.list),
        this.detail)));
  }

  async load(name) {
    let reply;
    try {
      reply = await api('GET', '/api/v1/scripts', undefined, { signal: this.signal });
    } catch (error) {
      if (error.name === 'AbortError') return;
      this.detail.append(h('p', { class: 'notice error', role: 'alert', text: `Could not list the scripts: ${error.message}` }));
      return;
    }
    const scripts = reply.scripts;
    for (const script of scripts) {
      const link = h('a', { href: `#/scripts/${encodeURIComponent(script.name)}`, class: 'script-link' },
        h('span', { class: 'script-name', text: script.name }),
        h('span', { class: 'script-description', text: script.error ? `Cannot load: ${script.error}` : script.description }));
      if (script.name === name) link.setAttribute('aria-current', 'page');
      if (script.error) link.classList.add('is-broken');
      this.list.append(h('li', {}, link));
    }
    if (!scripts.length) {
      this.detail.append(h('p', { text: `No scripts yet. Scripts are looked for in: ${reply.directories.join(', ')}` }));
      return;
    }
    const chosen = scripts.find((script) => script.name === name);
    if (name && !chosen) {
      this.detail.append(h('p', { class: 'notice error', role: 'alert', text: `There is no script named ${name}.` }));
      return;
    }
    if (!chosen) {
      this.detail.append(h('p', { class: 'muted', text: 'Choose a script to see its parameters and run it.' }));
      return;
    }
    this.show(chosen);
  }

  show(script) {
    clear(this.detail);
    this.detail.setAttribute('aria-label', script.name);
    this.detail.removeAttribute('aria-live');
    this.detail.append(h('h2', { text: script.name }),
      h('p', { class: 'script-about', text: script.description || 'No description.' }),
      h('p', { class: 'hint', text: `From ${script.source}` }));
    if (script.error) {
      this.detail.append(h('p', { class: 'notice error', role: 'alert',
        text: `This script failed to load: ${script.error}. Fix the file; it reloads on save.` }));
      return;
    }
    this.script = script;
    this.fields = paramsOf(script.parameters).map(createField);
    this.formError = h('p', { class: 'field-error', role: 'alert' });
    this.runButton = h('button', { type: 'submit', class: 'primary', text: 'Run' });
    const form = h('form', { class: 'script-form', novalidate: true, 'aria-label': `Parameters of ${script.name}` },
      ...(this.fields.length ? this.fields.map((field) => field.element)
        : [h('p', { class: 'muted', text: 'This script takes no parameters.' })]),
      h('p', { class: 'hint', text: '* required. Empty fields are left out, so the script’s default applies.' }),
      h('div', { class: 'row' }, this.runButton),
      this.formError);
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.run();
    });
    this.result = h('section', { class: 'script-result', 'aria-live': 'polite', 'aria-label': 'Result' });
    this.detail.append(form, this.result);
  }

  // The form's values by parameter name; null when a field's text cannot be a value (shown on it).
  values() {
    const params = {};
    let firstBad = null;
    for (const field of this.fields) {
      field.clearError();
      try {
        const read = field.read();
        if (read) params[field.param.name] = read.value;
      } catch (error) {
        if (!(error instanceof FieldError)) throw error;
        field.showError(error.message);
        firstBad = firstBad || field;
      }
    }
    if (firstBad) {
      firstBad.focus();
      return null;
    }
    return params;
  }

  async run() {
    this.formError.textContent = '';
    const params = this.values();
    if (!params) return;
    this.runButton.disabled = true;
    clear(this.result);
    this.result.append(h('p', { class: 'script-running', text: 'Running in the editor…' }));
    try {
      let reply = await api('POST', `/api/v1/scripts/${encodeURIComponent(this.script.name)}/run`, { params },
        { signal: this.signal });
      if (!('result' in reply) && reply.job_id) reply = await this.waitForJob(reply);
      this.showReply(reply);
    } catch (error) {
      if (error.name === 'AbortError') return;
      clear(this.result);
      this.showFailure(error);
    } finally {
      this.runButton.disabled = false;
    }
  }

  // A 202 (the run passed its timeout inside a native call, or still waits in the queue): follow the job.
  async waitForJob(accepted) {
    clear(this.result);
    this.result.append(h('p', { class: 'script-running', text: accepted.message || 'The script is still running…' }));
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      if (this.signal.aborted) throw new DOMException('left the page', 'AbortError');
      const { job } = await api('GET', `/api/v1/python/job?id=${encodeURIComponent(accepted.job_id)}`, undefined,
        { signal: this.signal });
      if (FINISHED.has(job.status)) return { ...job, job_id: job.id, success: job.status === 'completed' };
    }
  }

  showFailure(error) {
    const problems = error instanceof ApiError && error.status === 400 ? paramProblems(error.message) : [];
    const byName = new Map(this.fields.map((field) => [field.param.name, field]));
    const unplaced = [];
    let first = null;
    for (const problem of problems) {
      const field = byName.get(problem.param);
      if (!field) {
        unplaced.push(`${problem.param}: ${problem.message}`);
        continue;
      }
      const where = problem.path.length ? `item ${problem.path.join('.')}: ` : '';
      field.showError(where + problem.message, problem.path);
      first = first || field;
    }
    if (first) {
      first.focus();
      this.formError.textContent = unplaced.length
        ? `Fix the marked fields. Also: ${unplaced.join('; ')}`
        : `Fix the marked field${problems.length > 1 ? 's' : ''}.`;
      return;
    }
    this.formError.textContent = `Could not run (${error.code || error.status || 'error'}): ${error.message}`;
  }

  showReply(reply) {
    clear(this.result);
    const ok = reply.success && reply.status === 'completed';
    const head = h('p', { class: 'script-status' },
      h('span', { class: `badge ${ok ? 'ok' : 'bad'}`, text: reply.status }),
      ` in ${formatDuration((reply.duration_ms || 0) / 1000)} · `,
      h('a', { href: `#/runs/${encodeURIComponent(reply.job_id)}`, text: 'Open in Runs' }));
    this.result.append(head);
    if (!ok) {
      this.result.append(h('div', { class: 'notice error', role: 'alert' },
        h('strong', { text: `${reply.error_type || 'Error'}: ` }), reply.error || 'the script did not complete'));
      if (reply.traceback) this.result.append(h('pre', { class: 'output script-traceback', text: reply.traceback }));
    } else {
      this.result.append(h('h3', { text: 'Result' }), renderResult(reply.result));
    }
    if (reply.output) {
      this.result.append(h('h3', { text: 'Output' }), h('pre', { class: 'output script-output', text: reply.output }));
    }
  }
}
