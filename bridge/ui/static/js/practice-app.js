// The learner shell: hash routing to the pages in /ui/pages/practice/, sign-in first.
//
// A page exports `mount(container, params)` like the dashboard's pages and may return a cleanup function.
// Without a session every page but sign-in and sign-up sends the learner to sign-in, then back.

import { getToken, getUser, keepSession, api } from './practice-api.js';
import { h, clear } from './dom.js';

const PAGES = ['signin', 'signup', 'problems', 'duel', 'leaderboard', 'profile'];
const OPEN = new Set(['signin', 'signup']);
const TITLES = {
  signin: 'Sign in', signup: 'Sign up', problems: 'Problems', problem: 'Problem', duel: 'Duel',
  leaderboard: 'Leaderboard', profile: 'Profile',
};

/** `#/problems/ab12?x=1` -> {name: 'problem', nav: 'problems', id: 'ab12', query}; null when not a route. */
export function parseRoute(hash) {
  if (!hash.startsWith('#/')) return null;
  const [path, search = ''] = hash.slice(2).split('?', 2);
  const [page, ...rest] = path.split('/').map((part) => {
    try {
      return decodeURIComponent(part);
    } catch {
      return part;
    }
  });
  if (!PAGES.includes(page)) return null;
  const id = rest.filter(Boolean).join('/') || undefined;
  const name = page === 'problems' && id !== undefined ? 'problem' : page;
  return { name, nav: page, id, query: new URLSearchParams(search) };
}

let cleanup = null;
let generation = 0;

async function runCleanup() {
  const previous = cleanup;
  cleanup = null;
  if (typeof previous !== 'function') return;
  try {
    await previous();
  } catch (error) {
    console.error('page cleanup failed', error);
  }
}

async function route() {
  const container = document.getElementById('main');
  const target = parseRoute(location.hash);
  if (!target) {
    location.replace(getToken() ? '#/problems' : '#/signin');
    return;
  }
  if (!OPEN.has(target.name) && !getToken()) {
    location.replace(`#/signin?next=${encodeURIComponent(location.hash)}`);
    return;
  }
  const mine = ++generation;
  await runCleanup();
  if (mine !== generation) return;
  clear(container);
  delete container.dataset.ready; // tests and screenshots wait on data-ready
  for (const link of document.querySelectorAll('#nav a')) {
    if (link.dataset.page === target.nav) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  document.title = `${TITLES[target.name]} · Practice`;
  try {
    const mod = await import(`/ui/pages/practice/${target.name}.js`);
    if (mine !== generation) return;
    const result = await mod.mount(container, { id: target.id, query: target.query });
    if (mine !== generation) {
      if (typeof result === 'function') await result();
      return;
    }
    cleanup = result;
    container.dataset.ready = target.name;
  } catch (error) {
    if (mine !== generation) return;
    console.error(error);
    clear(container);
    container.append(h('section', { class: 'card error-card', role: 'alert' },
      h('h1', { text: `The ${TITLES[target.name]} page failed` }),
      h('p', { text: String(error && error.message ? error.message : error) })));
    container.dataset.ready = 'error';
  }
}

function showSession() {
  const user = getUser();
  const signedIn = Boolean(getToken());
  document.getElementById('sign-out').hidden = !signedIn;
  document.getElementById('nav').hidden = !signedIn;
  document.getElementById('who').textContent = signedIn && user ? (user.username || user.email || '') : '';
}

function start() {
  document.getElementById('skip-link').addEventListener('click', (event) => {
    event.preventDefault();
    document.getElementById('main').focus();
  });
  document.getElementById('sign-out').addEventListener('click', async () => {
    try {
      await api.post('/api/auth/logout');
    } catch {
      // Signed out here whatever the server said: the token is dropped below.
    }
    keepSession(null);
    location.hash = '#/signin';
  });
  window.addEventListener('practice-session', () => {
    showSession();
    if (!getToken() && !OPEN.has((parseRoute(location.hash) || {}).name)) route();
  });
  window.addEventListener('hashchange', route);
  showSession();
  route();
}

start();
