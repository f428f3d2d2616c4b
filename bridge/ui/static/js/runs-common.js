// What the Runs list and a run's page share: labels, the status badge, the progress bar.

import { h } from './dom.js';

export const KINDS = ['editor', 'script', 'trace', 'sandbox', 'command'];
export const STATUSES = ['pending', 'running', 'completed', 'failed', 'cancelled'];
export const FINISHED = new Set(['completed', 'failed', 'cancelled']);

/** A run's label: its name, else the first line of its command. */
export function runTitle(execution) {
  if (execution.name) return execution.name;
  const first = (execution.command || '').split('\n').find((line) => line.trim()) || '';
  return first.length > 90 ? `${first.slice(0, 87)}…` : first || execution.id;
}

export function statusBadge(status, attrs = {}) {
  return h('span', { class: `badge status-${status}`, ...attrs }, status);
}

/** An accessible progress bar; update it with setProgress(). */
export function progressBar(label, id) {
  const fill = h('span');
  const bar = h('div', {
    class: 'progress', role: 'progressbar', id, 'aria-label': label, 'aria-valuemin': '0', 'aria-valuemax': '100',
    'aria-valuenow': '0',
  }, fill);
  return bar;
}

export function setProgress(bar, percent) {
  const value = Math.max(0, Math.min(100, Number(percent) || 0));
  bar.setAttribute('aria-valuenow', String(Math.round(value * 10) / 10));
  bar.setAttribute('aria-valuetext', `${Math.round(value)} %`);
  bar.firstChild.style.width = `${value}%`;
}
