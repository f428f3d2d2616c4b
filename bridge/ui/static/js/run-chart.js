// Runs per minute (bars, failed ones stacked in red) and each run's duration (dots), drawn as SVG.

import { h, svg, formatDuration } from './dom.js';

const WIDTH = 640;
const HEIGHT = 200;
const PAD = { left: 40, right: 44, top: 12, bottom: 26 };

/** How many minutes to draw: back to the oldest run given, between 15 and 60. */
export function chartMinutes(executions, now = Date.now()) {
  const times = executions.map((execution) => Date.parse(execution.created_at)).filter((t) => !Number.isNaN(t));
  if (!times.length) return 15;
  return Math.max(15, Math.min(60, Math.ceil((now - Math.min(...times)) / 60_000) + 1));
}

/** Minute buckets of the last `minutes` minutes before `now`: [{start, total, failed, durations}]. */
export function bucketByMinute(executions, now = Date.now(), minutes = chartMinutes(executions, now)) {
  const end = Math.ceil(now / 60_000) * 60_000;
  const start = end - minutes * 60_000;
  const buckets = Array.from({ length: minutes }, (_, i) => ({
    start: start + i * 60_000, total: 0, failed: 0, durations: [],
  }));
  for (const execution of executions) {
    const at = Date.parse(execution.created_at);
    if (Number.isNaN(at) || at < start || at >= end) continue;
    const bucket = buckets[Math.floor((at - start) / 60_000)];
    bucket.total += 1;
    if (execution.status === 'failed') bucket.failed += 1;
    if (execution.duration_seconds !== null && execution.duration_seconds !== undefined) {
      bucket.durations.push(execution.duration_seconds);
    }
  }
  return buckets;
}

function niceCeiling(value) {
  if (value <= 1) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (value <= step * power) return step * power;
  return 10 * power;
}

const clock = (ms) => {
  const date = new Date(ms);
  return `${String(date.getHours()).padStart(2, '0')}:${String(date.getMinutes()).padStart(2, '0')}`;
};

/** The chart as an <svg> with a text alternative (a <table> of the same figures for screen readers). */
export function runChart(buckets, { title = 'Runs per minute and their durations' } = {}) {
  const plotWidth = WIDTH - PAD.left - PAD.right;
  const plotHeight = HEIGHT - PAD.top - PAD.bottom;
  const most = niceCeiling(Math.max(1, ...buckets.map((b) => b.total)));
  const slowest = niceCeiling(Math.max(0.001, ...buckets.flatMap((b) => b.durations)));
  const slot = plotWidth / buckets.length;
  const y = (count) => PAD.top + plotHeight - (count / most) * plotHeight;
  const yDuration = (seconds) => PAD.top + plotHeight - (seconds / slowest) * plotHeight;
  const parts = [
    svg('title', {}, title),
    svg('line', { class: 'axis', x1: PAD.left, y1: PAD.top + plotHeight, x2: WIDTH - PAD.right, y2: PAD.top + plotHeight }),
    svg('line', { class: 'axis', x1: PAD.left, y1: PAD.top, x2: PAD.left, y2: PAD.top + plotHeight }),
    svg('text', { x: PAD.left - 6, y: PAD.top + 8, 'text-anchor': 'end' }, String(most)),
    svg('text', { x: PAD.left - 6, y: PAD.top + plotHeight, 'text-anchor': 'end' }, '0'),
    svg('text', { x: WIDTH - PAD.right + 6, y: PAD.top + 8 }, formatDuration(slowest)),
    svg('text', { x: 4, y: PAD.top + plotHeight / 2, class: 'axis-label' }, 'runs'),
  ];
  buckets.forEach((bucket, i) => {
    const x = PAD.left + i * slot + 1;
    const width = Math.max(1, slot - 2);
    if (bucket.total) {
      const ok = bucket.total - bucket.failed;
      parts.push(svg('rect', { class: 'bar', x, width, y: y(ok), height: y(0) - y(ok) }));
      if (bucket.failed) {
        parts.push(svg('rect', { class: 'bar failed', x, width, y: y(bucket.total), height: y(ok) - y(bucket.total) }));
      }
    }
    for (const seconds of bucket.durations) {
      parts.push(svg('circle', { class: 'dot', cx: x + width / 2, cy: yDuration(seconds), r: 2.5 }));
    }
    if (i % Math.ceil(buckets.length / 6) === 0) {
      parts.push(svg('text', { x: x + width / 2, y: HEIGHT - 8, 'text-anchor': 'middle' }, clock(bucket.start)));
    }
  });
  const chart = svg('svg', {
    class: 'chart', viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: 'img', 'aria-label': title, id: 'status-chart',
  }, ...parts);
  const busy = buckets.filter((b) => b.total);
  const table = h('table', { class: 'visually-hidden' },
    h('caption', {}, title),
    h('thead', {}, h('tr', {}, h('th', {}, 'Minute'), h('th', {}, 'Runs'), h('th', {}, 'Failed'),
      h('th', {}, 'Longest'))),
    h('tbody', {}, busy.map((b) => h('tr', {},
      h('td', {}, clock(b.start)), h('td', {}, String(b.total)), h('td', {}, String(b.failed)),
      h('td', {}, b.durations.length ? formatDuration(Math.max(...b.durations)) : '—')))));
  return h('figure', { class: 'chart-figure' }, chart, table,
    h('figcaption', { class: 'muted small-print' },
      h('span', { class: 'key key-bar' }), ' runs that did not fail  ',
      h('span', { class: 'key key-failed' }), ' failed runs  ',
      h('span', { class: 'key key-dot' }), ' duration of each run (right scale)'));
}
