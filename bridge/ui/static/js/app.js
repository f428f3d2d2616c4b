// The shell: hash routing to page modules, the nav bar, and the token button.
//
// A page is /ui/pages/<name>.js exporting `mount(container, params)`; it may return (or resolve to) a
// cleanup function, called before the next page mounts. `params` is {id?: string, query: URLSearchParams}.

import { getToken, setToken } from './api.js';
import { h, clear } from './dom.js';

export const PAGES = ['console', 'runs', 'scripts', 'trace', 'sandbox', 'status'];
const DEFAULT_ROUTE = '#/console';
const TITLES = {
  console: 'Console', runs: 'Runs', run: 'Run', scripts: 'Scripts', trace: 'Trace', sandbox: 'Sandbox',
  status: 'Status',
};

/** `#/runs/ab12?kind=editor` -> {name: 'run', nav: 'runs', id: 'ab12', query}; null for a hash that is not a route. */
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
  // `#/runs/<id>` is a page of its own (run.js); other pages get the id as a parameter.
  const name = page === 'runs' && id !== undefined ? 'run' : page;
  return { name, nav: page, id, query: new URLSearchParams(search) };
}

let cleanup = null;
let generation = 0;

function markNav(nav) {
  for (const link of document.querySelectorAll('#nav a')) {
    if (link.dataset.page === nav) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
}

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

function pageError(container, title, error) {
  clear(container);
  container.appendChild(h('section', { class: 'card error-card', role: 'alert' },
    h('h1', {}, title),
    h('p', {}, String(error && error.message ? error.message : error))));
}

async function route(firstLoad = false) {
  const container = document.getElementById('main');
  const target = parseRoute(location.hash);
  if (!target) {
    // An in-page anchor (#section) is not a route; an unknown page, or none, is the default page.
    if (!firstLoad && location.hash && !location.hash.startsWith('#/')) return;
    location.replace(DEFAULT_ROUTE);
    return;
  }
  const mine = ++generation;
  await runCleanup();
  if (mine !== generation) return;
  clear(container);
  // data-ready names the page once its mount() has resolved: tests and screenshots wait on it.
  delete container.dataset.ready;
  markNav(target.nav);
  document.title = `${TITLES[target.name] || target.name} · Unreal Python Bridge`;
  let mod;
  try {
    mod = await import(`/ui/pages/${target.name}.js`);
  } catch (error) {
    if (mine !== generation) return;
    pageError(container, `The ${TITLES[target.name] || target.name} page is not available`, error);
    return;
  }
  if (mine !== generation) return;
  try {
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
    pageError(container, `The ${TITLES[target.name] || target.name} page failed`, error);
  }
  if (!firstLoad) container.focus({ preventScroll: true });
}

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
  window.addEventListener('hashchange', () => route(false));
  route(true);
}

start();
