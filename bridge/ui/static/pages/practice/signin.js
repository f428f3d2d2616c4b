// Sign in (#/signin): email and password; the reply's access token is kept for the tab.
import { api, keepSession } from '/ui/js/practice-api.js';
import { h } from '/ui/js/dom.js';
import { field, onSubmit, statusLine } from './form.js';

export function mount(container, params) {
  const email = field('signin-email', 'Email', { type: 'email', autocomplete: 'email', required: true });
  const password = field('signin-password', 'Password',
    { type: 'password', autocomplete: 'current-password', required: true });
  const status = statusLine('signin-status');
  const button = h('button', { type: 'submit', class: 'primary', text: 'Sign in' });
  const form = h('form', { class: 'card stack practice-auth', 'aria-label': 'Sign in' },
    h('h1', { text: 'Sign in' }), email.element, password.element, h('div', { class: 'row' }, button),
    status.element, h('p', {}, 'No account yet? ', h('a', { href: '#/signup', text: 'Sign up' })));
  onSubmit(form, status, async () => {
    const reply = await api.post('/api/auth/login', { email: email.input.value, password: password.input.value });
    // Log-in's user has no username (the seed's shape); the profile has it, for the top bar.
    keepSession(reply);
    const profile = await api.get('/api/profile');
    keepSession({ ...reply, user: { ...reply.user, username: profile.username } });
    location.hash = nextPage(params.query);
  });
  container.append(form);
  email.input.focus();
}

/** Where to go once signed in: back to the page that asked, else the problem list. */
export function nextPage(query) {
  const next = query.get('next') || '';
  return next.startsWith('#/') && !next.startsWith('#/sign') ? next : '#/problems';
}
