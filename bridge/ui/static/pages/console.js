// Console: Python on the editor's game thread, its output live, result or traceback, cancel, history.

import { api, ApiError } from '/ui/js/api.js';
import { createCodeEditor } from '/ui/js/code-editor.js';
import { h, formatDuration } from '/ui/js/dom.js';
import { listen } from '/ui/js/live.js';
import { OutputView } from '/ui/js/output-view.js';
import { renderTraceback, jobLines } from '/ui/js/traceback.js';

const STORE_KEY = 'ue-bridge-console';
const HISTORY_SIZE = 100;
const POLL_MS = 1000;
const BUFFERED_EVENTS = 2000;
const SESSION_PATTERN = /^[A-Za-z0-9_.:-]{1,128}$/;
const EXAMPLE = [
  'import unreal',
  '',
  'unreal.log("Hello from the console")',
  'actors = unreal.get_editor_subsystem(unreal.EditorActorSubsystem)',
  'print(len(actors.get_all_level_actors()), "actors in the level")',
  '',
  'unreal.SystemLibrary.get_engine_version()',
].join('\n');

function loadSaved() {
  try {
    return JSON.parse(localStorage.getItem(STORE_KEY)) || {};
  } catch {
    return {};
  }
}

function save(state) {
  try {
    localStorage.setItem(STORE_KEY, JSON.stringify(state));
  } catch {
    // Storage full or refused: history is a convenience.
  }
}

export async function mount(container, params) {
  const saved = loadSaved();
  const history = Array.isArray(saved.history) ? saved.history : [];
  const sessions = Array.isArray(saved.sessions) ? saved.sessions : [];
  let historyIndex = history.length;
  let draft = null;
  let job = null; // {id, status, sync, code}
  let pollTimer = null;
  let adopting = null; // a sync call's code, until its run starts and names its id
  const buffered = []; // events of runs whose id the page does not know yet (an async reply is on its way)

  const output = new OutputView({ label: 'Output of the run' });
  const status = h('span', { class: 'badge status-pending', id: 'console-status', role: 'status' }, 'idle');
  const duration = h('span', { class: 'muted', id: 'console-duration' });
  const runLink = h('a', { id: 'console-run-link', hidden: true }, 'Open in Runs');
  const result = h('div', { id: 'console-result', class: 'stack' });
  const message = h('p', { id: 'console-message', class: 'field-error', role: 'alert' });

  const sessionInput = h('input', {
    id: 'console-session', list: 'console-sessions', placeholder: 'fresh globals', value: saved.session || '',
    size: 16, 'aria-describedby': 'console-session-help', autocomplete: 'off', spellcheck: false,
  });
  const sessionList = h('datalist', { id: 'console-sessions' }, sessions.map((s) => h('option', { value: s })));
  const timeoutInput = h('input', {
    id: 'console-timeout', type: 'number', min: '0.1', max: '3600', step: 'any', value: saved.timeout || '30',
    size: 6, required: true,
  });
  const modeSelect = h('select', { id: 'console-mode' },
    h('option', { value: 'exec', selected: saved.mode !== 'eval' }, 'exec: statements'),
    h('option', { value: 'eval', selected: saved.mode === 'eval' }, 'eval: one expression'));
  const syncBox = h('input', { id: 'console-sync', type: 'checkbox', checked: Boolean(saved.sync) });
  const runButton = h('button', { type: 'button', class: 'primary', id: 'console-run', onClick: () => run() },
    'Run');
  const cancelButton = h('button', {
    type: 'button', class: 'danger', id: 'console-cancel', disabled: true, onClick: () => cancel(),
  }, 'Cancel');

  const editor = createCodeEditor({
    id: 'console-code',
    label: 'Python code to run in the editor',
    value: params.query.get('code') || saved.draft || EXAMPLE,
    onRun: () => run(),
    onHistory: (direction) => recall(direction),
  });

  function remember() {
    save({
      history, sessions, draft: editor.value, session: sessionInput.value.trim(), timeout: timeoutInput.value,
      mode: modeSelect.value, sync: syncBox.checked,
    });
  }

  function recall(direction) {
    if (history.length === 0) return false;
    const next = historyIndex + direction;
    if (next < 0 || next > history.length) return false;
    if (historyIndex === history.length) draft = editor.value;
    historyIndex = next;
    editor.value = next === history.length ? (draft || '') : history[next];
    const end = direction < 0 ? editor.value.length : editor.value.indexOf('\n') < 0
      ? editor.value.length : editor.value.indexOf('\n');
    editor.textarea.setSelectionRange(end, end);
    return true;
  }

  function setStatus(name) {
    status.textContent = name;
    status.className = `badge status-${name}`;
    const busy = name === 'pending' || name === 'running' || name === 'sending';
    runButton.disabled = busy;
    cancelButton.disabled = !busy || !job || !job.id;
  }

  function showError(text) {
    message.textContent = text || '';
  }

  function stopPolling() {
    clearTimeout(pollTimer);
    pollTimer = null;
  }

  function follow(id) {
    job.id = id;
    runLink.href = `#/runs/${encodeURIComponent(id)}`;
    runLink.hidden = false;
    for (const event of buffered.splice(0)) {
      if (event.data && event.data.execution_id === id) onMessage(event);
    }
    cancelButton.disabled = false;
    schedulePoll();
  }

  function schedulePoll() {
    stopPolling();
    pollTimer = setTimeout(poll, POLL_MS);
  }

  // A safety net under the socket: the output so far and the outcome, once a second while the job runs.
  async function poll() {
    const current = job;
    if (!current || !current.id) return;
    try {
      const reply = await api('GET', `/api/v1/python/job?id=${encodeURIComponent(current.id)}`);
      if (job !== current) return;
      output.putAll(reply.job.output || '');
      if (['completed', 'failed', 'cancelled'].includes(reply.job.status)) {
        finish(reply.job);
        return;
      }
      setStatus(reply.job.status);
    } catch (error) {
      if (job !== current) return;
      showError(error.message);
    }
    if (job === current && !current.done) schedulePoll();
  }

  function finish(detail) {
    if (!job || job.done) return;
    job.done = true;
    stopPolling();
    output.putAll(detail.output || '');
    setStatus(detail.status);
    duration.textContent = detail.duration_ms !== undefined ? formatDuration(detail.duration_ms / 1000) : '';
    result.replaceChildren();
    if (detail.status === 'completed') {
      result.append(h('h3', {}, 'Result'),
        h('pre', { class: 'output result', id: 'console-result-value' },
          detail.result === null || detail.result === undefined ? 'None (no value)'
            : typeof detail.result === 'string' ? detail.result : JSON.stringify(detail.result, null, 2)));
    } else {
      if (detail.error) result.append(h('p', { class: 'notice error', id: 'console-error' }, detail.error));
      if (detail.traceback) {
        result.append(renderTraceback(detail.traceback, (line) => editor.goToLine(line)));
        const lines = jobLines(detail.traceback);
        if (lines.length) editor.goToLine(lines[lines.length - 1]);
      }
    }
    if (detail.logs && detail.logs.some((entry) => entry.level !== 'info')) {
      result.append(h('details', {},
        h('summary', {}, 'Log entries'),
        h('ul', { class: 'plain-list' }, detail.logs.map((entry) => h('li', { class: `level-${entry.level}` },
          `${entry.level}: ${entry.message}`)))));
    }
    runButton.disabled = false;
    cancelButton.disabled = true;
  }

  function onMessage(event) {
    const data = event.data || {};
    if (adopting !== null && event.type === 'execution_started' && data.kind === 'editor'
        && data.command === adopting && job && !job.id) {
      adopting = null;
      follow(data.execution_id);
      setStatus('running');
      return;
    }
    if (!job) return;
    if (!job.id) {
      if (data.execution_id) {
        buffered.push(event);
        if (buffered.length > BUFFERED_EVENTS) buffered.shift();
      }
      return;
    }
    if (data.execution_id !== job.id || job.done) return;
    if (event.type === 'log_entry' && data.line !== null && data.line !== undefined) {
      output.put(data.line, data.content, data.stream);
    } else if (event.type === 'execution_started') {
      setStatus('running');
    } else if (event.type === 'execution_completed') {
      poll(); // the outcome (result, traceback) is in the job, not the event
    }
  }

  async function run() {
    if (job && !job.done) return;
    const code = editor.value;
    showError('');
    const session = sessionInput.value.trim();
    if (session && !SESSION_PATTERN.test(session)) {
      showError('A session name is 1-128 letters, digits, _ . : or -');
      sessionInput.focus();
      return;
    }
    const timeout = Number(timeoutInput.value);
    if (!(timeout > 0 && timeout <= 3600)) {
      showError('Timeout must be between 0 and 3600 seconds');
      timeoutInput.focus();
      return;
    }
    if (!code.trim()) {
      showError('There is no code to run');
      editor.focus();
      return;
    }
    if (history[history.length - 1] !== code) history.push(code);
    history.splice(0, Math.max(0, history.length - HISTORY_SIZE));
    historyIndex = history.length;
    draft = null;
    if (session && !sessions.includes(session)) {
      sessions.unshift(session);
      sessions.splice(20);
      sessionList.replaceChildren(...sessions.map((s) => h('option', { value: s })));
    }
    remember();
    editor.clearMark();
    output.reset();
    result.replaceChildren();
    duration.textContent = '';
    runLink.hidden = true;
    buffered.length = 0;
    const sync = syncBox.checked;
    job = { id: null, done: false, sync, code };
    setStatus('sending');
    const body = { code, timeout, mode: modeSelect.value, async: !sync };
    if (session) body.session_id = session;
    const mine = job;
    if (sync) adopting = code;
    try {
      const reply = await api('POST', '/api/v1/python/execute', body);
      if (job !== mine) return;
      adopting = null;
      if (!job.id) follow(reply.job_id);
      if (sync && !reply.timed_out && ['completed', 'failed', 'cancelled'].includes(reply.status)) {
        finish(reply);
        return;
      }
      if (reply.timed_out && reply.message) output.note(reply.message);
      setStatus(reply.status);
      if (['completed', 'failed', 'cancelled'].includes(reply.status)) poll();
    } catch (error) {
      if (job !== mine) return;
      adopting = null;
      job.done = true;
      stopPolling();
      setStatus('failed');
      runButton.disabled = false;
      cancelButton.disabled = true;
      showError(error instanceof ApiError ? `${error.code || error.status}: ${error.message}` : error.message);
    }
  }

  async function cancel() {
    if (!job || !job.id || job.done) return;
    cancelButton.disabled = true;
    try {
      const reply = await api('DELETE', `/api/v1/python/job?id=${encodeURIComponent(job.id)}`);
      output.note(reply.message);
    } catch (error) {
      // JOB_ALREADY_FINISHED: it ended on its own first; the poll shows how.
      output.note(error.message);
    }
    poll();
  }

  const stopListening = listen(onMessage);
  editor.textarea.addEventListener('input', () => {
    historyIndex = history.length;
  });

  container.append(
    h('h1', {}, 'Console'),
    h('section', { class: 'card stack', 'aria-labelledby': 'console-code-title' },
      h('h2', { id: 'console-code-title', class: 'visually-hidden' }, 'Code'),
      h('div', { class: 'row console-options' },
        h('div', { class: 'field' },
          h('label', { for: 'console-session' }, 'Session'),
          sessionInput, sessionList),
        h('div', { class: 'field' },
          h('label', { for: 'console-timeout' }, 'Timeout (s)'),
          timeoutInput),
        h('div', { class: 'field' },
          h('label', { for: 'console-mode' }, 'Mode'),
          modeSelect),
        h('div', { class: 'field-inline sync-field' },
          syncBox, h('label', { for: 'console-sync' }, 'Wait for the reply (sync)')),
        h('div', { class: 'row grow end' }, runButton, cancelButton)),
      h('p', { id: 'console-session-help', class: 'muted small-print' },
        'A session keeps its variables between runs, like a REPL; leave it empty for fresh globals.'),
      editor.element,
      message),
    h('section', { class: 'card stack', 'aria-labelledby': 'console-output-title' },
      h('div', { class: 'row' },
        h('h2', { id: 'console-output-title' }, 'Output'), status, duration, h('span', { class: 'grow' }), runLink),
      output.element,
      result),
  );
  output.reset('Run some code: its prints and unreal.log lines appear here as they happen.');
  editor.focus();

  return () => {
    stopListening();
    stopPolling();
    remember();
  };
}
