// A traceback whose lines in the job's own code (`File "<job:ID>", line N`) are buttons to that line.

import { h } from './dom.js';

const JOB_FRAME = /^(\s*File "<job:[^>]*>", line )(\d+)(.*)$/;

/** The line numbers of the job's own code that `traceback` names, innermost last. */
export function jobLines(traceback) {
  return (traceback || '').split('\n').map((line) => JOB_FRAME.exec(line)).filter(Boolean)
    .map((match) => Number(match[2]));
}

/** A <pre> of `traceback`; `onLine(n)` is called when a line link is used (null: plain text). */
export function renderTraceback(traceback, onLine) {
  const pre = h('pre', { class: 'output traceback', tabindex: '0', 'aria-label': 'Traceback' });
  for (const line of (traceback || '').replace(/\n$/, '').split('\n')) {
    const match = JOB_FRAME.exec(line);
    if (match && onLine) {
      const number = Number(match[2]);
      pre.append(
        h('span', { class: 'line error' },
          match[1],
          h('button', {
            type: 'button', class: 'line-link', 'aria-label': `Go to line ${number} in the editor`,
            onClick: () => onLine(number),
          }, match[2]),
          `${match[3]}\n`),
      );
    } else {
      pre.append(h('span', { class: 'line error' }, `${line}\n`));
    }
  }
  return pre;
}
