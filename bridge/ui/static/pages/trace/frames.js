// The frames of one step: the global frame, then every function frame oldest first, each with its
// variables in the order the tracer gives (ordered_globals, ordered_varnames).
import { h } from '/ui/js/dom.js';
import { isRef, refTarget, renderValue } from './values.js';

const RETURN = '__return__';

export function renderFrames(step) {
  const frames = [globalFrame(step), ...(step.stack_to_render || []).map(functionFrame)];
  return h('div', { class: 'trace-frame-list' }, ...frames.map(renderFrame));
}

// Every reference a frame variable holds, globals first: the heap is laid out from these.
export function rootRefs(step) {
  const refs = [];
  for (const frame of [globalFrame(step), ...(step.stack_to_render || []).map(functionFrame)]) {
    for (const name of frame.names) {
      const value = frame.values[name];
      if (isRef(value)) refs.push(refTarget(value));
    }
  }
  return refs;
}

function globalFrame(step) {
  return {
    key: 'global',
    title: 'Global frame',
    names: step.ordered_globals || [],
    values: step.globals || {},
    current: !(step.stack_to_render || []).some((frame) => frame.is_highlighted),
    zombie: false,
  };
}

function functionFrame(frame) {
  const parents = frame.parent_frame_id_list || [];
  const notes = [`frame ${frame.frame_id}`];
  if (parents.length) notes.push(`parent: frame ${parents.join(', ')}`);
  if (frame.is_zombie) notes.push('returned');
  return {
    key: frame.unique_hash || `${frame.func_name}_f${frame.frame_id}`,
    title: frame.func_name,
    note: notes.join(' · '),
    names: frame.ordered_varnames || [],
    values: frame.encoded_locals || {},
    current: Boolean(frame.is_highlighted),
    zombie: Boolean(frame.is_zombie),
  };
}

function renderFrame(frame) {
  const classes = ['trace-frame'];
  if (frame.current) classes.push('is-current');
  if (frame.zombie) classes.push('is-zombie');
  const titleId = `trace-frame-${frame.key}-title`;
  const box = h('section', {
    class: classes.join(' '),
    'data-frame': frame.key,
    'aria-labelledby': titleId,
  }, h('h4', { id: titleId, class: 'trace-frame-name' },
    h('span', { text: frame.title }),
    frame.note ? h('span', { class: 'trace-frame-note', text: frame.note }) : h('span', {}),
    frame.current ? h('span', { class: 'visually-hidden', text: ' (current frame)' }) : h('span', {})));
  if (!frame.names.length) {
    box.append(h('p', { class: 'trace-empty', text: 'no variables' }));
    return box;
  }
  box.append(h('table', { class: 'trace-vars' }, h('tbody', {}, ...frame.names.map((name) =>
    h('tr', { 'data-var': name, class: name === RETURN ? 'is-return' : '' },
      h('th', { scope: 'row', text: name === RETURN ? 'Return value' : name }),
      h('td', {}, renderValue(frame.values[name], `frame-${frame.key}-var-${name}`)))))));
  return box;
}
