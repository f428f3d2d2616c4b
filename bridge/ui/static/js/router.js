// Hash routing for a shell (the dashboard's app.js, the learner pages' practice-app.js).
//
// A page is `<folder><name>.js` exporting `mount(container, params)`; it may return (or resolve to) a
// cleanup function, called before the next page mounts. `params` is {id?: string, query: URLSearchParams}.
// `#/<detail.page>/<id>` is a page of its own (`detail.name`); other pages get the id as a parameter.
// data-ready on #main names the page once its mount() has resolved: tests and screenshots wait on it.

import { h, clear } from './dom.js';

/** `#/runs/ab12?kind=editor` -> {name: 'run', nav: 'runs', id: 'ab12', query}; null for a hash that is not a route. */
export function parseHash(hash, pages, detail) {
  if (!hash.startsWith('#/')) return null;
  const [path, search = ''] = hash.slice(2).split('?', 2);
  const [page, ...rest] = path.split('/').map((part) => {
    try {
      return decodeURIComponent(part);
    } catch {
      return part;
    }
  });
  if (!pages.includes(page)) return null;
  const id = rest.filter(Boolean).join('/') || undefined;
  const name = page === detail.page && id !== undefined ? detail.name : page;
  return { name, nav: page, id, query: new URLSearchParams(search) };
}

function pageError(container, title, error) {
  clear(container);
  container.appendChild(h('section', { class: 'card error-card', role: 'alert' },
    h('h1', {}, title),
    h('p', {}, String(error && error.message ? error.message : error))));
  container.dataset.ready = 'error';
}

/**
 * A router: `route(firstLoad)` mounts the page the hash names.
 * `redirect(target, firstLoad)`: a hash to go to instead, `false` to leave the page as it is, null to go on.
 */
export function createRouter({ pages, detail, titles, folder, siteName, redirect, focusOnNavigate }) {
  let cleanup = null;
  let generation = 0;
  const title = (name) => titles[name] || name;

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

  async function route(firstLoad = false) {
    const container = document.getElementById('main');
    const target = parseHash(location.hash, pages, detail);
    const elsewhere = redirect(target, firstLoad);
    if (elsewhere === false) return;
    if (elsewhere) {
      location.replace(elsewhere);
      return;
    }
    const mine = ++generation;
    await runCleanup();
    if (mine !== generation) return;
    clear(container);
    delete container.dataset.ready;
    for (const link of document.querySelectorAll('#nav a')) {
      if (link.dataset.page === target.nav) link.setAttribute('aria-current', 'page');
      else link.removeAttribute('aria-current');
    }
    document.title = `${title(target.name)} · ${siteName}`;
    let mod;
    try {
      mod = await import(`${folder}${target.name}.js`);
    } catch (error) {
      if (mine !== generation) return;
      pageError(container, `The ${title(target.name)} page is not available`, error);
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
      pageError(container, `The ${title(target.name)} page failed`, error);
    }
    if (focusOnNavigate && !firstLoad) container.focus({ preventScroll: true });
  }

  return { route, parse: (hash) => parseHash(hash, pages, detail) };
}
