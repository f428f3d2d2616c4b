// One run (#/runs/<id>): status, timings, progress and steps, output and logs live, artifacts; Cancel,
// Re-run, Delete.

import { api, ApiError } from '/ui/js/api.js';
import { artifactItem } from '/ui/js/artifact-view.js';
import { h, formatDuration, formatTime } from '/ui/js/dom.js';
import { listen } from '/ui/js/live.js';
import { OutputView } from '/ui/js/output-view.js';
import { rerun, rerunPlan } from '/ui/js/rerun.js';
import { FINISHED, progressBar, runTitle, setProgress, statusBadge } from '/ui/js/runs-common.js';
import { renderTraceback } from '/ui/js/traceback.js';

const POLL_MS = 700; // progress has no event of its own: a running run is read again this often

export async function mount(container, params) {
  const id = params.id;
  let execution = null;
  let job = null;
  let pollTimer = null;
  let closed = false;
  const steps = new Map();
  const artifactIds = new Set();

  const title = h('h1', { id: 'run-title' }, 'Run');
  const badge = h('span', { id: 'run-status' });
  const facts = h('dl', { class: 'facts', id: 'run-facts' });
  const bar = progressBar('Progress of the run', 'run-progress');
  const progressText = h('span', { class: 'muted', id: 'run-progress-text' });
  const stepList = h('ol', { class: 'steps', id: 'run-steps' });
  const output = new OutputView({ label: 'Output of the run', id: 'run-output' });
  const outcome = h('div', { id: 'run-outcome', class: 'stack' });
  const logBody = h('tbody', { id: 'run-logs' });
  const artifactList = h('ul', { class: 'artifacts plain-list stack', id: 'run-artifacts' });
  const message = h('p', { id: 'run-message', role: 'status', class: 'muted' });
  const cancelButton = h('button', { type: 'button', class: 'danger', id: 'run-cancel', onClick: () => cancel() },
    'Cancel');
  const rerunButton = h('button', { type: 'button', id: 'run-rerun', onClick: () => again() }, 'Re-run');
  const shellBox = h('input', { type: 'checkbox', id: 'run-shell' });
  const shellField = h('span', { class: 'field-inline', hidden: true }, shellBox,
    h('label', { for: 'run-shell' }, 'through a shell'));
  const deleteButton = h('button', { type: 'button', class: 'danger', id: 'run-delete', onClick: () => remove() },
    'Delete');

  function fact(name, value) {
    return [h('dt', {}, name), h('dd', {}, value === null || value === undefined || value === '' ? '—' : value)];
  }

  function drawHeader() {
    title.textContent = runTitle(execution);
    badge.replaceChildren(statusBadge(execution.status));
    facts.replaceChildren(
      ...fact('Kind', execution.kind),
      ...fact('Id', h('code', {}, execution.id)),
      ...fact('User', execution.user),
      ...fact('Tags', (execution.tags || []).join(', ')),
      ...fact('Created', formatTime(execution.created_at)),
      ...fact('Started', formatTime(execution.started_at)),
      ...fact('Ended', formatTime(execution.completed_at)),
      ...fact('Duration', FINISHED.has(execution.status) ? formatDuration(execution.duration_seconds) : 'running…'),
      ...(execution.exit_code !== null ? fact('Exit code', String(execution.exit_code)) : []),
      ...(execution.stop_reason ? fact('Stopped by', execution.stop_reason) : []),
      ...(execution.working_directory ? fact('Folder', execution.working_directory) : []),
    );
    setProgress(bar, execution.progress_percentage);
    progressText.textContent = `${Math.round(execution.progress_percentage || 0)} %`
      + (execution.total_steps ? ` · ${execution.completed_steps} of ${execution.total_steps} steps` : '');
    const finished = FINISHED.has(execution.status);
    // Only editor and script jobs have a cancel of their own; other kinds stop when deleted.
    cancelButton.hidden = finished || !(execution.kind === 'editor' || execution.kind === 'script');
    const plan = rerunPlan(execution, job);
    rerunButton.disabled = Boolean(plan.reason);
    rerunButton.title = plan.reason || plan.note || 'Send the same request again';
    shellField.hidden = execution.kind !== 'command';
  }

  function drawSteps() {
    const ordered = [...steps.values()].sort((a, b) => a.index - b.index);
    stepList.replaceChildren(...ordered.map((step) => h('li', { class: `step step-${step.status}` },
      statusBadge(step.status), ' ', h('strong', {}, step.name),
      step.description ? h('span', { class: 'muted' }, ` — ${step.description}`) : null,
      h('span', { class: 'muted' }, ` ${step.duration_seconds !== null ? formatDuration(step.duration_seconds)
        : step.estimated_duration ? `about ${formatDuration(step.estimated_duration)}` : ''}`),
      step.error_message ? h('div', { class: 'level-error' }, step.error_message) : null)));
    if (!ordered.length) stepList.append(h('li', { class: 'muted' }, 'No steps.'));
  }

  function logRow(entry) {
    return h('tr', { class: `level-${entry.level}` },
      h('td', { class: 'hide-narrow' }, formatTime(entry.timestamp)),
      h('td', {}, entry.level),
      h('td', {}, h('pre', {}, entry.content)));
  }

  function drawOutcome() {
    outcome.replaceChildren();
    if (execution.error_message) {
      outcome.append(h('p', { class: 'notice error', id: 'run-error' }, execution.error_message));
    }
    if (job && job.traceback) outcome.append(renderTraceback(job.traceback, null));
    if (job && job.result !== null && job.result !== undefined && execution.status === 'completed') {
      outcome.append(h('h3', {}, 'Result'), h('pre', { class: 'output result', id: 'run-result' },
        typeof job.result === 'string' ? job.result : JSON.stringify(job.result, null, 2)));
    }
  }

  function addArtifact(artifact) {
    if (artifactIds.has(artifact.id)) return;
    if (!artifactIds.size) artifactList.replaceChildren();
    artifactIds.add(artifact.id);
    artifactList.append(artifactItem(artifact));
  }

  async function loadAll() {
    const [detail, printed] = await Promise.all([
      api('GET', `/api/executions/${encodeURIComponent(id)}`),
      api('GET', `/api/executions/${encodeURIComponent(id)}/output`),
    ]);
    execution = detail.data.execution;
    if (execution.kind === 'editor' || execution.kind === 'script') {
      job = (await api('GET', `/api/v1/python/job?id=${encodeURIComponent(id)}`)).job;
    }
    for (const step of detail.data.steps) steps.set(step.id, step);
    if (detail.data.artifacts.length) detail.data.artifacts.forEach(addArtifact);
    else if (!artifactIds.size) artifactList.replaceChildren(h('li', { class: 'muted' }, 'No artifacts.'));
    output.putAll(printed.data.output);
    logBody.replaceChildren(...printed.data.logs.map(logRow));
    drawHeader();
    drawSteps();
    drawOutcome();
  }

  async function poll() {
    pollTimer = null;
    if (closed) return;
    try {
      const detail = await api('GET', `/api/executions/${encodeURIComponent(id)}`);
      if (closed) return;
      const wasFinished = FINISHED.has(execution.status);
      execution = detail.data.execution;
      for (const step of detail.data.steps) steps.set(step.id, step);
      detail.data.artifacts.forEach(addArtifact);
      drawHeader();
      drawSteps();
      if (FINISHED.has(execution.status) && !wasFinished) {
        await loadAll();
        return;
      }
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) {
        gone();
        return;
      }
      message.textContent = error.message;
    }
    if (!FINISHED.has(execution.status)) pollTimer = setTimeout(poll, POLL_MS);
  }

  function gone() {
    closed = true;
    message.textContent = 'This run was deleted.';
    for (const button of [cancelButton, rerunButton, deleteButton]) button.disabled = true;
  }

  function onMessage(event) {
    const data = event.data || {};
    if (!execution || data.execution_id !== id) return;
    if (event.type === 'log_entry') {
      if (data.line !== null && data.line !== undefined) output.put(data.line, data.content, data.stream);
      else logBody.append(logRow(data));
    } else if (event.type === 'step_update') {
      steps.set(data.step.id, data.step);
      drawSteps();
    } else if (event.type === 'artifact_created') {
      addArtifact({ ...data.artifact, execution_id: id });
    } else if (event.type === 'execution_started') {
      execution = { ...execution, status: 'running', started_at: data.started_at };
      drawHeader();
      if (!pollTimer) poll();
    } else if (event.type === 'execution_completed') {
      loadAll().catch((error) => { message.textContent = error.message; });
    }
  }

  async function cancel() {
    cancelButton.disabled = true;
    message.textContent = 'Cancelling…';
    try {
      const reply = await api('DELETE', `/api/v1/python/job?id=${encodeURIComponent(id)}`);
      message.textContent = reply.message;
    } catch (error) {
      message.textContent = error.message;
    } finally {
      cancelButton.disabled = false;
    }
    poll();
  }

  async function again() {
    const plan = rerunPlan(execution, job, { shell: shellBox.checked });
    if (plan.reason) return;
    rerunButton.disabled = true;
    message.textContent = plan.note ? `Running again… (${plan.note})` : 'Running again…';
    try {
      const newId = await rerun(plan);
      if (newId) location.hash = `#/runs/${encodeURIComponent(newId)}`;
      else message.textContent = 'Ran again, but its run was not found in the history.';
    } catch (error) {
      message.textContent = `Re-run failed: ${error.message}`;
      rerunButton.disabled = false;
    }
  }

  async function remove() {
    const running = !FINISHED.has(execution.status);
    const question = running ? 'This run is still going: cancel and delete it, with its output and artifacts?'
      : 'Delete this run, with its output and artifacts?';
    if (!window.confirm(question)) return;
    deleteButton.disabled = true;
    try {
      await api('DELETE', `/api/executions/${encodeURIComponent(id)}`);
      closed = true;
      location.hash = '#/runs';
    } catch (error) {
      message.textContent = error.message;
      deleteButton.disabled = false;
    }
  }

  container.append(
    h('p', {}, h('a', { href: '#/runs' }, '← All runs')),
    h('div', { class: 'row' }, title, badge, h('span', { class: 'grow' }),
      cancelButton, shellField, rerunButton, deleteButton),
    message,
    h('div', { class: 'grid-2' },
      h('section', { class: 'card stack', 'aria-labelledby': 'run-facts-title' },
        h('h2', { id: 'run-facts-title' }, 'Details'), facts),
      h('section', { class: 'card stack', 'aria-labelledby': 'run-steps-title' },
        h('h2', { id: 'run-steps-title' }, 'Progress'),
        h('div', { class: 'row' }, h('div', { class: 'grow' }, bar), progressText),
        stepList)),
    h('section', { class: 'card stack', 'aria-labelledby': 'run-output-title' },
      h('h2', { id: 'run-output-title' }, 'Output'), output.element, outcome),
    h('section', { class: 'card stack', 'aria-labelledby': 'run-artifacts-title' },
      h('h2', { id: 'run-artifacts-title' }, 'Artifacts'), artifactList),
    h('section', { class: 'card stack', 'aria-labelledby': 'run-logs-title' },
      h('details', {},
        h('summary', {}, h('h2', { id: 'run-logs-title', class: 'inline' }, 'Structured logs')),
        h('div', { class: 'table-wrap' }, h('table', {},
          h('thead', {}, h('tr', {}, h('th', { class: 'hide-narrow' }, 'Time'), h('th', {}, 'Level'),
            h('th', {}, 'Message'))),
          logBody)))),
    h('section', { class: 'card stack', 'aria-labelledby': 'run-command-title' },
      h('details', {},
        h('summary', {}, h('h2', { id: 'run-command-title', class: 'inline' }, 'Code or command')),
        h('pre', { class: 'output', id: 'run-command' })))
  );

  const stopListening = listen(onMessage);
  try {
    await loadAll();
  } catch (error) {
    stopListening();
    if (error instanceof ApiError && error.status === 404) {
      container.replaceChildren(h('p', {}, h('a', { href: '#/runs' }, '← All runs')),
        h('h1', {}, 'No such run'),
        h('p', { class: 'notice error', role: 'alert' }, error.message));
      return undefined;
    }
    throw error;
  }
  container.querySelector('#run-command').textContent = execution.command;
  if (!FINISHED.has(execution.status)) poll();

  return () => {
    closed = true;
    stopListening();
    clearTimeout(pollTimer);
    for (const item of artifactList.querySelectorAll('li.artifact')) if (item.release) item.release();
  };
}
