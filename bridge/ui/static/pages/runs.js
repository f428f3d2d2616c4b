// Runs: the history of every kind, filtered and paged on the server, rows updated live from /api/ws.

import { api } from '/ui/js/api.js';
import { h, formatDuration, formatTime } from '/ui/js/dom.js';
import { listen, onState } from '/ui/js/live.js';
import { KINDS, STATUSES, runTitle, statusBadge } from '/ui/js/runs-common.js';

const PAGE_SIZES = [25, 50, 100];
const FILTERS = ['kind', 'status', 'user', 'tag', 'text'];
const TYPING_PAUSE_MS = 300;
const REFRESH_GAP_MS = 1500; // at most one reload of the page per gap, however many runs start

export async function mount(container, params) {
  const query = params.query;
  const state = {
    filters: Object.fromEntries(FILTERS.map((name) => [name, query.get(name) || ''])),
    limit: PAGE_SIZES.includes(Number(query.get('limit'))) ? Number(query.get('limit')) : 50,
    offset: Math.max(0, Number.parseInt(query.get('offset') || '0', 10) || 0),
  };
  const rows = new Map(); // execution id -> {row, execution}
  let loading = null;
  let refreshTimer = null;
  let lastRefresh = 0;
  let newSince = 0;

  const select = (name, label, options) => h('div', { class: 'field' },
    h('label', { for: `runs-${name}` }, label),
    h('select', { id: `runs-${name}`, onChange: (event) => setFilter(name, event.target.value) },
      h('option', { value: '', selected: !state.filters[name] }, 'any'),
      options.map((value) => h('option', { value, selected: state.filters[name] === value }, value))));
  const text = (name, label, placeholder, size = 12) => h('div', { class: 'field' },
    h('label', { for: `runs-${name}` }, label),
    h('input', {
      id: `runs-${name}`, type: name === 'text' ? 'search' : 'text', value: state.filters[name], placeholder, size,
      autocomplete: 'off', spellcheck: false, onInput: (event) => typed(name, event.target.value),
    }));

  const body = h('tbody', { id: 'runs-rows' });
  const summary = h('p', { id: 'runs-summary', class: 'muted', role: 'status' }, 'Loading…');
  const error = h('p', { id: 'runs-error', class: 'field-error', role: 'alert' });
  const prev = h('button', { type: 'button', id: 'runs-prev', onClick: () => page(-1) }, '← Newer');
  const next = h('button', { type: 'button', id: 'runs-next', onClick: () => page(1) }, 'Older →');
  const fresh = h('button', {
    type: 'button', id: 'runs-new', class: 'small', hidden: true,
    onClick: () => { state.offset = 0; load(); },
  });
  const live = h('span', { class: 'muted small-print', id: 'runs-live' });
  const sizeSelect = h('select', {
    id: 'runs-limit', onChange: (event) => { state.limit = Number(event.target.value); state.offset = 0; load(); },
  }, PAGE_SIZES.map((n) => h('option', { value: String(n), selected: n === state.limit }, String(n))));

  const typingTimers = {}; // one per field: typing in one must not drop what another is about to apply
  function typed(name, value) {
    clearTimeout(typingTimers[name]);
    typingTimers[name] = setTimeout(() => setFilter(name, value.trim()), TYPING_PAUSE_MS);
  }

  function setFilter(name, value) {
    if (state.filters[name] === value) return;
    state.filters[name] = value;
    state.offset = 0;
    load();
  }

  function page(direction) {
    state.offset = Math.max(0, state.offset + direction * state.limit);
    load();
  }

  function searchParams() {
    const search = new URLSearchParams();
    for (const name of FILTERS) if (state.filters[name]) search.set(name, state.filters[name]);
    return search;
  }

  function keepInAddress() {
    const search = searchParams();
    if (state.offset) search.set('offset', String(state.offset));
    if (state.limit !== 50) search.set('limit', String(state.limit));
    const hash = `#/runs${search.toString() ? `?${search}` : ''}`;
    // replaceState, not location.hash: the page stays mounted, and Back still leaves the list.
    if (location.hash !== hash) history.replaceState(null, '', hash);
  }

  function cells(execution) {
    return [
      h('td', {}, statusBadge(execution.status)),
      h('td', { class: 'truncate' },
        h('a', { href: `#/runs/${encodeURIComponent(execution.id)}`, title: execution.command || '' },
          runTitle(execution))),
      h('td', {}, execution.kind),
      h('td', { class: 'hide-narrow' }, execution.user),
      h('td', { class: 'hide-narrow' }, (execution.tags || []).join(', ')),
      h('td', { class: 'hide-narrow' }, formatTime(execution.started_at || execution.created_at)),
      h('td', { class: 'num' }, execution.status === 'running' ? 'running…' : formatDuration(execution.duration_seconds)),
    ];
  }

  function draw(executions) {
    rows.clear();
    body.replaceChildren(...executions.map((execution) => {
      const row = h('tr', { dataset: { id: execution.id } }, cells(execution));
      rows.set(execution.id, { row, execution });
      return row;
    }));
    if (executions.length === 0) {
      body.append(h('tr', {}, h('td', { colspan: '7', class: 'muted' }, 'No run matches these filters.')));
    }
  }

  async function load() {
    keepInAddress();
    const search = searchParams();
    search.set('limit', String(state.limit));
    search.set('offset', String(state.offset));
    const controller = new AbortController();
    if (loading) loading.abort();
    loading = controller;
    lastRefresh = Date.now();
    try {
      const reply = await api('GET', `/api/executions?${search}`, undefined, { signal: controller.signal });
      if (loading !== controller) return;
      const { executions, total_count: total, has_more: more } = reply.data;
      error.textContent = '';
      draw(executions);
      const first = total === 0 ? 0 : state.offset + 1;
      summary.textContent = `${first.toLocaleString()}–${(state.offset + executions.length).toLocaleString()} `
        + `of ${total.toLocaleString()} runs`;
      prev.disabled = state.offset === 0;
      next.disabled = !more;
      newSince = 0;
      fresh.hidden = true;
    } catch (failure) {
      if (failure.name === 'AbortError') return;
      error.textContent = failure.message;
    } finally {
      if (loading === controller) loading = null;
    }
  }

  // A run that starts anywhere may belong on the first page; the list reloads, throttled.
  function refreshSoon() {
    if (state.offset > 0) {
      newSince += 1;
      fresh.textContent = `${newSince} new — show newest`;
      fresh.hidden = false;
      return;
    }
    if (refreshTimer) return;
    const wait = Math.max(0, REFRESH_GAP_MS - (Date.now() - lastRefresh));
    refreshTimer = setTimeout(() => {
      refreshTimer = null;
      load();
    }, wait);
  }

  function update(id, changes) {
    const shown = rows.get(id);
    if (!shown) return false;
    shown.execution = { ...shown.execution, ...changes };
    shown.row.replaceChildren(...cells(shown.execution));
    return true;
  }

  function onMessage(message) {
    const data = message.data || {};
    if (message.type === 'execution_started') {
      if (!update(data.execution_id, { status: 'running', started_at: data.started_at })) refreshSoon();
    } else if (message.type === 'execution_completed') {
      const changed = update(data.execution_id, {
        status: data.status, completed_at: data.completed_at, duration_seconds: data.duration_seconds,
        total_steps: data.total_steps,
      });
      // A status filter may no longer hold for it, or may now: the page decides.
      if (!changed || state.filters.status) refreshSoon();
    }
  }

  container.append(
    h('h1', {}, 'Runs'),
    h('section', { class: 'card stack', 'aria-label': 'Filters' },
      h('div', { class: 'row filters' },
        select('kind', 'Kind', KINDS),
        select('status', 'Status', STATUSES),
        text('user', 'User', 'local, token…', 10),
        text('tag', 'Tag', 'nightly', 10),
        text('text', 'Search', 'name, code, command or id', 24))),
    h('section', { class: 'card stack' },
      h('div', { class: 'row' }, summary, h('span', { class: 'grow' }), live, fresh),
      error,
      h('div', { class: 'table-wrap' },
        h('table', { id: 'runs-table' },
          h('caption', { class: 'visually-hidden' }, 'Runs, newest first'),
          h('thead', {}, h('tr', {},
            h('th', { scope: 'col' }, 'Status'), h('th', { scope: 'col' }, 'Run'), h('th', { scope: 'col' }, 'Kind'),
            h('th', { scope: 'col', class: 'hide-narrow' }, 'User'),
            h('th', { scope: 'col', class: 'hide-narrow' }, 'Tags'),
            h('th', { scope: 'col', class: 'hide-narrow' }, 'Started'),
            h('th', { scope: 'col', class: 'num' }, 'Duration'))),
          body)),
      h('div', { class: 'row' }, prev, next, h('span', { class: 'grow' }),
        h('label', { for: 'runs-limit' }, 'Per page'), sizeSelect)),
  );

  const stopListening = listen(onMessage);
  const stopState = onState((now) => {
    live.textContent = now === 'open' ? '● live' : now === 'connecting' ? 'connecting…' : 'not live';
  });
  await load();
  return () => {
    stopListening();
    stopState();
    clearTimeout(refreshTimer);
    Object.values(typingTimers).forEach(clearTimeout);
    if (loading) loading.abort();
  };
}
