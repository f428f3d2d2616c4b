// The global leaderboard (#/leaderboard): rank, wins, win rate and, beyond the seed, the Elo rating.
import { api, getUser } from '/ui/js/practice-api.js';
import { h } from '/ui/js/dom.js';

export async function mount(container) {
  container.append(h('h1', { text: 'Leaderboard' }));
  const reply = await api.get('/api/leaderboard');
  const me = (getUser() || {}).username;
  const rows = reply.leaderboard;
  const rated = rows.some((row) => row.rating !== undefined);
  if (!rows.length) {
    container.append(h('p', { class: 'muted', text: 'Nobody has finished a duel yet.' }));
    return;
  }
  container.append(h('div', { class: 'table-wrap card' }, h('table', { id: 'leaderboard' },
    h('thead', {}, h('tr', {}, h('th', { class: 'num', text: 'Rank' }), h('th', { text: 'Player' }),
      h('th', { class: 'num', text: 'Wins' }), h('th', { class: 'num', text: 'Win rate' }),
      rated ? h('th', { class: 'num', text: 'Rating' }) : null)),
    h('tbody', {}, ...rows.map((row) => h('tr', { class: row.username === me ? 'is-me' : null,
      dataset: { player: row.username } },
    h('td', { class: 'num', text: String(row.rank) }), h('td', { text: row.username }),
    h('td', { class: 'num', text: String(row.wins) }),
    h('td', { class: 'num', text: `${Math.round(row.win_rate * 100)}%` }),
    rated ? h('td', { class: 'num', text: String(row.rating ?? '') }) : null))))));
}
