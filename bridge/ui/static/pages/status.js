// Status: which editor, whether its game thread ticks, the queue, containment, the database, and a
// chart of the recent runs.

import { api, ApiError } from '/ui/js/api.js';
import { h, formatDuration, formatTime } from '/ui/js/dom.js';
import { bucketByMinute, runChart } from '/ui/js/run-chart.js';

const REFRESH_MS = 5000;
const CHART_RUNS = 1000; // the most one page of /api/executions gives

function facts(id, pairs) {
  return h('dl', { class: 'facts', id },
    pairs.flatMap(([name, value]) => [h('dt', {}, name),
      h('dd', {}, value === null || value === undefined || value === '' ? '—' : value)]));
}

function yes(flag, good = 'yes', bad = 'no') {
  return h('span', { class: `badge ${flag ? 'ok' : 'bad'}` }, flag ? good : bad);
}

async function readiness() {
  try {
    return await api('GET', '/api/v1/ready');
  } catch (error) {
    if (error instanceof ApiError && error.status === 503 && error.body) return error.body;
    throw error;
  }
}

function containmentFacts(id, info) {
  if (!info) return facts(id, [['Box', 'unknown']]);
  return facts(id, [
    ['Runs accepted', yes(info.available)],
    ['Box', info.box],
    ['Unprivileged uid', info.uid === null ? null : String(info.uid)],
    ['Syscall filter', yes(info.seccomp_filter, 'seccomp', 'none')],
    ['Limits', info.cgroup_mode === 'none' ? 'none' : `cgroup ${info.cgroup_mode}`],
    ['Network', info.network],
    ['/proc/sys', info.proc_sys],
    ['No new privileges', yes(info.no_new_privileges)],
    ...(info.reason ? [['Why refused', info.reason]] : []),
  ]);
}

export async function mount(container) {
  const editorCard = h('section', { class: 'card stack', 'aria-labelledby': 'status-editor-title' },
    h('h2', { id: 'status-editor-title' }, 'Editor'), h('p', { class: 'muted' }, 'Loading…'));
  const threadCard = h('section', { class: 'card stack', 'aria-labelledby': 'status-thread-title' },
    h('h2', { id: 'status-thread-title' }, 'Game thread'), h('p', { class: 'muted' }, 'Loading…'));
  const databaseCard = h('section', { class: 'card stack', 'aria-labelledby': 'status-database-title' },
    h('h2', { id: 'status-database-title' }, 'Run history database'), h('p', { class: 'muted' }, 'Loading…'));
  const containmentCard = h('section', { class: 'card stack', 'aria-labelledby': 'status-containment-title' },
    h('h2', { id: 'status-containment-title' }, 'Containment of untrusted runs'),
    h('p', { class: 'muted' }, 'Loading…'));
  const chartCard = h('section', { class: 'card stack', 'aria-labelledby': 'status-chart-title' },
    h('h2', { id: 'status-chart-title' }, 'Recent runs'), h('p', { class: 'muted' }, 'Loading…'));
  const error = h('p', { class: 'field-error', role: 'alert', id: 'status-error' });
  const updated = h('span', { class: 'muted small-print', id: 'status-updated' });
  let timer = null;
  let closed = false;

  function fill(card, ...content) {
    card.replaceChildren(card.firstChild, ...content);
  }

  async function refresh() {
    const failures = [];
    const settle = (promise, what) => promise.catch((failure) => {
      failures.push(`${what}: ${failure.message}`);
      return null;
    });
    const [info, health, ready, database, recent] = await Promise.all([
      settle(api('GET', '/api/v1/python/info'), 'editor info'),
      settle(api('GET', '/api/v1/health'), 'health'),
      settle(readiness(), 'readiness'),
      settle(api('GET', '/api/health/database'), 'database'),
      settle(api('GET', `/api/executions?limit=${CHART_RUNS}`), 'history'),
    ]);
    if (closed) return;
    if (info) {
      fill(editorCard, facts('status-editor', [
        ['Engine', info.engine_version],
        ['Project', info.project_name],
        ['Project folder', h('code', {}, info.project_dir)],
        ['Python', info.python_version],
        ['Bridge', info.bridge_version],
        ['Process id', String(info.pid)],
        ['Editor', info.mock ? 'headless (mock_unreal)' : 'Unreal Editor'],
      ]));
    }
    if (health) {
      const editor = health.editor;
      fill(threadCard, facts('status-thread', [
        ['Ticking', yes(editor.ticking)],
        ['Ready for jobs', ready ? yes(ready.ready) : '—'],
        ...(ready && ready.reason ? [['Why not', ready.reason]] : []),
        ['Busy with a job', editor.busy ? 'yes' : 'no'],
        ['Jobs queued', h('span', { id: 'status-queue' }, String(editor.queue_depth))],
        ['Last tick', editor.last_tick_age_ms === null ? 'never' : `${editor.last_tick_age_ms} ms ago`],
        ['Server up for', formatDuration(health.uptime_seconds)],
      ]));
      fill(containmentCard, h('div', { class: 'grid-2' },
        h('div', {}, h('h3', {}, 'Tracer'), containmentFacts('status-trace-box', health.containment.trace)),
        h('div', {}, h('h3', {}, 'Sandbox'), containmentFacts('status-sandbox-box', health.containment.sandbox))));
    }
    if (database) {
      const data = database.data;
      fill(databaseCard, facts('status-database', [
        ['Connected', yes(database.success, 'connected', 'error')],
        ['Runs', h('span', { id: 'status-total-runs' }, data.total_executions.toLocaleString())],
        ['Running', String(data.running_executions)],
        ['Pending', String(data.pending_executions)],
        ['Completed', String(data.completed_executions)],
        ['Failed', String(data.failed_executions)],
        ['Cancelled', String(data.cancelled_executions)],
        ['Steps', data.total_steps.toLocaleString()],
        ['Artifacts', data.total_artifacts.toLocaleString()],
        ['Size', `${data.database_size_mb} MB`],
        ['Oldest run', formatTime(data.oldest_execution)],
        ['Newest run', formatTime(data.newest_execution)],
      ]));
    } else {
      fill(databaseCard, h('p', { class: 'notice error' }, 'The history database did not answer.'));
    }
    if (recent) {
      const executions = recent.data.executions;
      const note = recent.data.has_more && executions.length
        ? `from the newest ${executions.length} runs (since ${formatTime(executions[executions.length - 1].created_at)})`
        : `from all ${executions.length} runs in the history`;
      const buckets = bucketByMinute(executions);
      fill(chartCard, runChart(buckets, { title: `Runs per minute and their durations, last ${buckets.length} minutes` }),
        h('p', { class: 'muted small-print' }, note));
    }
    error.textContent = failures.join('; ');
    updated.textContent = `updated ${formatTime(new Date().toISOString())}`;
  }

  async function loop() {
    try {
      await refresh();
    } finally {
      if (!closed) timer = setTimeout(loop, REFRESH_MS);
    }
  }

  container.append(
    h('div', { class: 'row' }, h('h1', {}, 'Status'), h('span', { class: 'grow' }), updated),
    error,
    h('div', { class: 'grid-2' }, editorCard, threadCard),
    h('div', { class: 'grid-2' }, databaseCard, chartCard),
    containmentCard,
  );
  await refresh();
  timer = setTimeout(loop, REFRESH_MS);
  return () => {
    closed = true;
    clearTimeout(timer);
  };
}
