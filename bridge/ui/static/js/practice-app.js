// The learner shell: hash routing to the pages in /ui/pages/practice/, sign-in first.

import { getToken, getUser, keepSession, api } from './practice-api.js';
import { createRouter } from './router.js';

const PAGES = ['signin', 'signup', 'problems', 'duel', 'leaderboard', 'profile'];
const OPEN = new Set(['signin', 'signup']);
const TITLES = {
  signin: 'Sign in', signup: 'Sign up', problems: 'Problems', problem: 'Problem', duel: 'Duel',
  leaderboard: 'Leaderboard', profile: 'Profile',
};

const router = createRouter({
  pages: PAGES, detail: { page: 'problems', name: 'problem' }, titles: TITLES, folder: '/ui/pages/practice/',
  siteName: 'Practice', focusOnNavigate: false,
  redirect: (target) => {
    if (!target) return getToken() ? '#/problems' : '#/signin';
    if (!OPEN.has(target.name) && !getToken()) return `#/signin?next=${encodeURIComponent(location.hash)}`;
    return null;
  },
});
export const parseRoute = router.parse;

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
    if (!getToken() && !OPEN.has((parseRoute(location.hash) || {}).name)) router.route();
  });
  window.addEventListener('hashchange', () => router.route());
  showSession();
  router.route();
}

start();
