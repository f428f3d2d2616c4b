// The shell: hash routing (router.js) to the pages in /ui/pages/, the nav bar, and the token button.

import { getToken, setToken } from './api.js';
import { createRouter } from './router.js';

export const PAGES = ['console', 'runs', 'scripts', 'trace', 'sandbox', 'status'];
const DEFAULT_ROUTE = '#/console';
const TITLES = {
  console: 'Console', runs: 'Runs', run: 'Run', scripts: 'Scripts', trace: 'Trace', sandbox: 'Sandbox',
  status: 'Status',
};

const router = createRouter({
  pages: PAGES, detail: { page: 'runs', name: 'run' }, titles: TITLES, folder: '/ui/pages/',
  siteName: 'Unreal Python Bridge', focusOnNavigate: true,
  // An in-page anchor (#section) is not a route; an unknown page, or none, is the default page.
  redirect: (target, firstLoad) => {
    if (target) return null;
    if (!firstLoad && location.hash && !location.hash.startsWith('#/')) return false;
    return DEFAULT_ROUTE;
  },
});
export const parseRoute = router.parse;

function showTokenButton() {
  document.getElementById('forget-token').hidden = !getToken();
}

function start() {
  const skip = document.getElementById('skip-link');
  skip.addEventListener('click', (event) => {
    event.preventDefault();
    document.getElementById('main').focus();
  });
  const forget = document.getElementById('forget-token');
  forget.addEventListener('click', () => {
    setToken(null);
    location.reload();
  });
  window.addEventListener('ue-bridge-token', showTokenButton);
  showTokenButton();
  window.addEventListener('hashchange', () => router.route(false));
  router.route(true);
}

start();
