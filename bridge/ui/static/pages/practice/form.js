// Small form pieces the learner pages share: a labelled field and a status line for errors.
import { h } from '/ui/js/dom.js';

/** A label above its input; returns {element, input}. */
export function field(id, label, attrs = {}, tag = 'input') {
  const input = h(tag, { id, name: id, ...attrs });
  return { element: h('div', { class: 'field' }, h('label', { for: id, text: label }), input), input };
}

/** A live region that says what went wrong (or right); `show(kind, text)` with kind 'error' or 'ok'. */
export function statusLine(id) {
  const element = h('p', { id, class: 'practice-status', role: 'status', 'aria-live': 'polite' });
  return {
    element,
    show(kind, text) {
      element.className = `practice-status is-${kind}`;
      element.textContent = text;
    },
    clear() {
      element.className = 'practice-status';
      element.textContent = '';
    },
  };
}

/**
 * Run `work()` when `form` is submitted: its submit button is disabled meanwhile (no double submissions)
 * and `status` is cleared first, then shows the error `work` throws.
 */
export function onSubmit(form, status, work) {
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const buttons = form.querySelectorAll('button[type="submit"]');
    for (const button of buttons) button.disabled = true;
    status.clear();
    try {
      await work();
    } catch (error) {
      status.show('error', error.message);
    } finally {
      for (const button of buttons) button.disabled = false;
    }
  });
}
