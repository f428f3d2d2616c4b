// The token dialog: one modal <dialog> that every request waiting on a 401 shares.

import { h } from './dom.js';

let pending = null;

function build() {
  const input = h('input', {
    id: 'token-input', type: 'password', autocomplete: 'off', spellcheck: false, required: true,
    'aria-describedby': 'token-help token-error',
  });
  const error = h('p', { id: 'token-error', class: 'field-error', role: 'alert' });
  const form = h('form', { method: 'dialog', class: 'stack' },
    h('h2', { id: 'token-title' }, 'This bridge needs its token'),
    h('p', { id: 'token-help', class: 'muted' },
      'The bridge was started with a token. Paste it here: it is kept in this tab only (session storage) ',
      'and sent with every request. A bridge started on another address than 127.0.0.1 writes it to ',
      'the token file it printed when it started.'),
    h('label', { for: 'token-input' }, 'Token'),
    input,
    error,
    h('div', { class: 'row end' },
      h('button', { type: 'button', class: 'ghost', value: 'cancel', id: 'token-cancel' }, 'Cancel'),
      h('button', { type: 'submit', class: 'primary', value: 'ok', id: 'token-submit' }, 'Use token')));
  const dialog = h('dialog', { id: 'token-dialog', 'aria-labelledby': 'token-title', 'aria-modal': 'true' }, form);
  document.body.appendChild(dialog);
  return { dialog, form, input, error };
}

/**
 * Ask for the token; resolves with what was entered, or null when the user cancels.
 * `rejected`: the last one was refused by the bridge, so the dialog says so.
 */
export function askForToken({ rejected = false } = {}) {
  if (pending) return pending;
  pending = new Promise((resolve) => {
    const { dialog, form, input, error } = build();
    error.textContent = rejected ? 'The bridge did not accept that token; check it and try again.' : '';
    const finish = (value) => {
      dialog.close();
      dialog.remove();
      pending = null;
      resolve(value);
    };
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const value = input.value.trim();
      if (!value) {
        error.textContent = 'Enter the token, or Cancel.';
        input.focus();
        return;
      }
      finish(value);
    });
    form.querySelector('#token-cancel').addEventListener('click', () => finish(null));
    dialog.addEventListener('cancel', (event) => { event.preventDefault(); finish(null); });
    dialog.showModal();
    input.focus();
  });
  return pending;
}
