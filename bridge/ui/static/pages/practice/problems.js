// The problem list (#/problems?difficulty=&tags=&language=): filters kept in the address, so a filtered
// list can be shared and the back button restores it.
import { api, query } from '/ui/js/practice-api.js';
import { h, replace } from '/ui/js/dom.js';
import { DIFFICULTIES, LANGUAGES } from './languages.js';
import { statusLine } from './form.js';

const PAGE_SIZE = 100;

export async function mount(container, params) {
  const wanted = {
    difficulty: params.query.get('difficulty') || '',
    tags: params.query.get('tags') || '',
    language: params.query.get('language') || 'python',
  };
  const difficulty = h('select', { id: 'filter-difficulty' },
    h('option', { value: '', text: 'Any difficulty' }),
    ...DIFFICULTIES.map((d) => h('option', { value: d, text: d, selected: d === wanted.difficulty })));
  const language = h('select', { id: 'filter-language' },
    ...LANGUAGES.map(([id, name]) => h('option', { value: id, text: name, selected: id === wanted.language })));
  const tags = h('input', { id: 'filter-tags', type: 'text', value: wanted.tags, placeholder: 'arrays, strings' });
  const form = h('form', { class: 'card row practice-filters', role: 'search', 'aria-label': 'Filter problems' },
    h('div', { class: 'field' }, h('label', { for: 'filter-difficulty', text: 'Difficulty' }), difficulty),
    h('div', { class: 'field grow' }, h('label', { for: 'filter-tags', text: 'Tags (all of them)' }), tags),
    h('div', { class: 'field' }, h('label', { for: 'filter-language', text: 'Language' }), language),
    h('button', { type: 'submit', class: 'primary', text: 'Filter' }));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    location.hash = `#/problems${query({
      difficulty: difficulty.value, tags: tags.value.replace(/\s+/g, ''), language: language.value,
    })}`;
  });
  const status = statusLine('problems-status');
  const list = h('div', { class: 'table-wrap' });
  container.append(h('h1', { text: 'Problems' }), form, status.element, list);
  try {
    const reply = await api.get(`/api/problems${query({ ...wanted, tags: wanted.tags.replace(/\s+/g, ''),
      limit: PAGE_SIZE })}`);
    status.show('ok', `${reply.total} problem${reply.total === 1 ? '' : 's'}`);
    replace(list, table(reply.problems, wanted.language));
  } catch (error) {
    status.show('error', error.message);
  }
}

function table(problems, language) {
  if (!problems.length) return h('p', { class: 'muted', text: 'No problem matches these filters.' });
  return h('table', { id: 'problem-list' },
    h('thead', {}, h('tr', {}, h('th', { text: 'Problem' }), h('th', { text: 'Difficulty' }),
      h('th', { text: 'Tags' }), h('th', { class: 'num', text: 'XP' }))),
    h('tbody', {}, ...problems.map((p) => h('tr', { dataset: { problem: p.id } },
      h('td', {}, h('a', { href: `#/problems/${encodeURIComponent(p.id)}?language=${language}`, text: p.title })),
      h('td', {}, h('span', { class: `badge difficulty-${p.difficulty}`, text: p.difficulty })),
      h('td', { class: 'practice-tags', text: p.tags.join(', ') }),
      h('td', { class: 'num', text: String(p.xp) })))));
}
