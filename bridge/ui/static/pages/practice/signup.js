// Sign up (#/signup): email, username and password; signs the new learner in at once.
import { api, keepSession } from '/ui/js/practice-api.js';
import { h } from '/ui/js/dom.js';
import { field, onSubmit, statusLine } from './form.js';
import { nextPage } from './signin.js';

export function mount(container, params) {
  const email = field('signup-email', 'Email', { type: 'email', autocomplete: 'email', required: true });
  const username = field('signup-username', 'Username', {
    autocomplete: 'username', required: true, minlength: '3', maxlength: '32', pattern: '[A-Za-z0-9_.\\-]+',
  });
  const password = field('signup-password', 'Password (8 characters or more)',
    { type: 'password', autocomplete: 'new-password', required: true, minlength: '8' });
  const status = statusLine('signup-status');
  const button = h('button', { type: 'submit', class: 'primary', text: 'Sign up' });
  const form = h('form', { class: 'card stack practice-auth', 'aria-label': 'Sign up' },
    h('h1', { text: 'Sign up' }), email.element, username.element, password.element,
    h('div', { class: 'row' }, button), status.element,
    h('p', {}, 'Already have an account? ', h('a', { href: '#/signin', text: 'Sign in' })));
  onSubmit(form, status, async () => {
    const reply = await api.post('/api/auth/signup', {
      email: email.input.value, username: username.input.value, password: password.input.value,
    });
    keepSession({ ...reply, user: { ...reply.user, username: reply.user.username || username.input.value } });
    location.hash = nextPage(params.query);
  });
  container.append(form);
  email.input.focus();
}
