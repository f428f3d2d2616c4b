// A problem (#/problems/<id>?language=python): the statement, an editor per language (each keeps its own
// draft while the page is open), submit and per-test results, and, for Python, the failing public case of
// the learner's own code traced step by step in the dashboard's stepper.
import { api } from '/ui/js/practice-api.js';
import { h, replace } from '/ui/js/dom.js';
import { createCodeEditor } from '/ui/js/code-editor.js';
import { useStylesheet } from '../parts/stylesheet.js';
import { TraceStepper } from '../trace/stepper.js';
import { LANGUAGES, languageName } from './languages.js';
import { statusLine } from './form.js';

const VERDICTS = {
  accepted: 'Accepted', wrong_answer: 'Wrong answer', runtime_error: 'Runtime error',
  compile_error: 'Compile error', timeout: 'Time limit exceeded', memory_limit: 'Memory limit exceeded',
};

export async function mount(container, params) {
  useStylesheet('/ui/css/page-parts.css');
  useStylesheet('/ui/css/trace.css');
  const language = LANGUAGES.some(([id]) => id === params.query.get('language')) ? params.query.get('language') : 'python';
  const problem = await api.get(`/api/problems/${encodeURIComponent(params.id)}?language=${language}`);
  const page = new ProblemPage(container, problem, language);
  return () => page.destroy();
}

class ProblemPage {
  constructor(container, problem, language) {
    this.problem = problem;
    this.drafts = { ...problem.starter_codes };
    this.language = language;
    this.stepper = null;
    this.editor = createCodeEditor({
      id: 'problem-code', label: 'Your solution', value: this.drafts[language], onRun: () => this.submit(),
    });
    this.picker = h('select', { id: 'problem-language', onChange: () => this.switchLanguage(this.picker.value) },
      ...LANGUAGES.map(([id, name]) => h('option', { value: id, text: name, selected: id === language })));
    this.submitButton = h('button', { type: 'button', class: 'primary', text: 'Submit', onClick: () => this.submit() });
    this.status = statusLine('submit-status');
    this.results = h('section', { id: 'submission-results', class: 'card', hidden: true, 'aria-label': 'Test results' });
    this.traceStatus = statusLine('trace-case-status');
    this.traceView = h('section', { id: 'case-trace', class: 'card trace-view', hidden: true,
      'aria-label': 'Trace of the failing case' });
    container.append(h('div', { class: 'practice-problem' },
      h('section', { class: 'card practice-statement', 'aria-labelledby': 'problem-title' },
        h('h1', { id: 'problem-title', text: problem.title }),
        h('p', {}, h('span', { class: `badge difficulty-${problem.difficulty}`, text: problem.difficulty }),
          ' ', h('span', { class: 'muted', text: `${problem.xp} XP · ${problem.tags.join(', ')}` })),
        h('pre', { class: 'practice-description', text: problem.description })),
      h('section', { class: 'card stack', 'aria-label': 'Solution' },
        h('div', { class: 'row' }, h('label', { for: 'problem-language', text: 'Language' }), this.picker,
          h('span', { class: 'grow' }), this.submitButton),
        this.editor.element, this.status.element),
      this.results, this.traceStatus.element, this.traceView));
  }

  switchLanguage(language) {
    this.drafts[this.language] = this.editor.value;
    this.language = language;
    this.editor.value = this.drafts[language];
    history.replaceState(null, '', `#/problems/${encodeURIComponent(this.problem.id)}?language=${language}`);
  }

  async submit() {
    this.submitButton.disabled = true;
    this.status.show('running', 'Judging…');
    this.code = this.editor.value;
    try {
      const reply = await api.post('/api/submissions', {
        problem_id: this.problem.id, code: this.code, language: this.language,
      });
      this.showVerdict(reply);
    } catch (error) {
      this.status.show('error', error.message);
    } finally {
      this.submitButton.disabled = false;
    }
  }

  showVerdict(reply) {
    const accepted = reply.status === 'accepted';
    const xp = reply.xp_earned ? ` +${reply.xp_earned} XP` : '';
    this.status.show(accepted ? 'ok' : 'error',
      `${VERDICTS[reply.status] || reply.status}: ${reply.passed_tests}/${reply.total_tests} tests passed${xp}`);
    this.status.element.dataset.verdict = reply.status;
    const rows = reply.test_results.map((test) => this.testRow(test, reply.language));
    replace(this.results,
      h('h2', { text: `${VERDICTS[reply.status] || reply.status} · ${languageName(reply.language)}` }),
      h('p', { class: 'muted', text: `${reply.runtime_ms} ms · ${reply.memory_kb} KB` }),
      reply.error ? h('pre', { class: 'practice-error', text: reply.error }) : null,
      rows.length ? h('ol', { class: 'practice-tests' }, ...rows) : null);
    this.results.hidden = false;
  }

  testRow(test, language) {
    // Only public tests come back with what the code returned (or raised); hidden ones say pass or fail.
    const shown = test.output !== null && test.output !== undefined ? `returned ${test.output}` : test.error || '';
    const isPublic = Boolean(shown);
    const traceable = !test.passed && isPublic && language === 'python';
    return h('li', { class: ['practice-test', test.passed ? 'is-passed' : 'is-failed'],
      dataset: { test: String(test.test_case) } },
    h('span', { class: 'practice-test-verdict', text: `Test ${test.test_case}: ${test.passed ? 'passed' : 'failed'}` }),
    isPublic ? h('code', { text: shown }) : h('span', { class: 'muted', text: 'hidden test' }),
    traceable ? h('button', { type: 'button', class: 'small', text: 'Trace this case',
      onClick: () => this.trace(test.test_case - 1) }) : null);
  }

  async trace(caseIndex) {
    this.traceStatus.show('running', `Tracing test ${caseIndex + 1}…`);
    try {
      const reply = await api.post(`/api/problems/${encodeURIComponent(this.problem.id)}/trace`,
        { code: this.code, case_index: caseIndex });
      if (!this.stepper) this.stepper = new TraceStepper();
      replace(this.traceView, h('h2', { text: `Test ${caseIndex + 1} step by step` }),
        h('p', { class: 'muted', text: `Input ${JSON.stringify(reply.input)}; expected ${JSON.stringify(reply.expected)}. `
          + 'The last line calls your function on it; `returned` is what it gave back.' }),
        this.stepper.root);
      this.traceView.hidden = false;
      this.stepper.setProgram(reply.code);
      this.stepper.load(reply.steps);
      const where = reply.error && reply.error.line ? ` on line ${reply.error.line}` : '';
      const error = reply.error ? ` ${reply.error.type}${where}: ${reply.error.message}` : '';
      this.traceStatus.show(reply.status === 'completed' ? 'ok' : 'error',
        `Traced test ${caseIndex + 1}: ${reply.total_steps} steps, ${reply.status}.${error}`);
    } catch (error) {
      this.traceStatus.show('error', error.message);
    }
  }

  destroy() {
    if (this.stepper) this.stepper.destroy();
  }
}
