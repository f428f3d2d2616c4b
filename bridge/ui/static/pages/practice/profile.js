// The learner's profile (#/profile): who they are, XP and level, an edit form, duel stats, their portfolio
// (projects, problems solved) with the PDF export, and their recent submissions.
import { api, getToken, keepSession, getUser } from '/ui/js/practice-api.js';
import { h, replace, formatTime } from '/ui/js/dom.js';
import { field, onSubmit, statusLine } from './form.js';
import { languageName } from './languages.js';

const list = (text) => text.split(',').map((item) => item.trim()).filter(Boolean);

export async function mount(container) {
  const [profile, portfolio] = await Promise.all([api.get('/api/profile'), api.get('/api/portfolio')]);
  const summary = h('section', { id: 'profile-summary', class: 'card', 'aria-label': 'You' });
  const stats = h('section', { id: 'duel-stats', class: 'card', 'aria-label': 'Duel statistics' });
  const projects = h('section', { id: 'portfolio', class: 'card stack', 'aria-label': 'Portfolio' });
  const history = h('section', { id: 'submission-history', class: 'card', 'aria-label': 'Recent submissions' });
  container.append(h('h1', { text: 'Profile' }), summary, editForm(profile, summary), stats, projects, history);
  showSummary(summary, profile);
  showPortfolio(projects, portfolio);
  await Promise.all([showStats(stats), showHistory(history)]);
}

function stat(label, value, id) {
  return h('div', { class: 'practice-stat', id }, h('strong', { text: String(value) }), label);
}

function showSummary(section, profile) {
  replace(section, h('h2', { id: 'profile-username', text: profile.username }),
    h('p', { class: 'muted', text: `${profile.email} · member since ${formatTime(profile.created_at)}` }),
    h('div', { class: 'practice-stats' }, stat('level', profile.level, 'profile-level'),
      stat('XP', profile.xp_total, 'profile-xp')),
    profile.interests.length ? h('p', { text: `Interests: ${profile.interests.join(', ')}` }) : null,
    profile.avatar_url ? h('p', {}, 'Avatar: ', h('a', { href: profile.avatar_url, rel: 'noopener noreferrer',
      target: '_blank', text: profile.avatar_url })) : null);
}

function editForm(profile, summary) {
  const username = field('profile-edit-username', 'Username', { value: profile.username, required: true });
  const avatar = field('profile-edit-avatar', 'Avatar URL', { type: 'url', value: profile.avatar_url || '' });
  const interests = field('profile-edit-interests', 'Interests (comma separated)',
    { value: profile.interests.join(', ') });
  const status = statusLine('profile-edit-status');
  const form = h('form', { class: 'card stack', 'aria-label': 'Edit profile' }, h('h2', { text: 'Edit profile' }),
    username.element, avatar.element, interests.element,
    h('div', { class: 'row' }, h('button', { type: 'submit', class: 'primary', text: 'Save profile' })),
    status.element);
  onSubmit(form, status, async () => {
    const change = { username: username.input.value.trim(), interests: list(interests.input.value) };
    if (avatar.input.value.trim()) change.avatar_url = avatar.input.value.trim();
    await api.put('/api/profile', change);
    const fresh = await api.get('/api/profile');
    showSummary(summary, fresh);
    keepSession({ session: { access_token: getToken() }, user: { ...getUser(), username: fresh.username } });
    status.show('ok', 'Profile saved.');
  });
  return form;
}

async function showStats(section) {
  try {
    const s = await api.get('/api/duels/stats');
    replace(section, h('h2', { text: 'Duels' }), h('div', { class: 'practice-stats' },
      stat('duels', s.total_duels, 'stat-total'), stat('wins', s.wins, 'stat-wins'),
      stat('losses', s.losses, 'stat-losses'), stat('win rate', `${Math.round(s.win_rate * 100)}%`, 'stat-rate'),
      stat('current streak', s.current_streak, 'stat-streak'), stat('best streak', s.best_streak, 'stat-best'),
      stat('rank', s.rank ?? '—', 'stat-rank'), s.rating !== undefined ? stat('rating', s.rating, 'stat-rating') : null));
  } catch (error) {
    replace(section, h('h2', { text: 'Duels' }), h('p', { class: 'muted', text: error.message }));
  }
}

function showPortfolio(section, portfolio) {
  const solved = portfolio.solved_problems;
  const status = statusLine('portfolio-status');
  const name = field('project-name', 'Project name', { required: true, maxlength: '200' });
  const description = field('project-description', 'Description', { rows: '3', maxlength: '2000' }, 'textarea');
  const skills = field('project-skills', 'Skills (comma separated)');
  const add = h('form', { class: 'stack', 'aria-label': 'Add a project' }, h('h3', { text: 'Add a project' }),
    name.element, description.element, skills.element,
    h('div', { class: 'row' }, h('button', { type: 'submit', text: 'Add project' })));
  onSubmit(add, status, async () => {
    await api.post('/api/portfolio/projects', {
      project_name: name.input.value, description: description.input.value, skills: list(skills.input.value),
    });
    showPortfolio(section, await api.get('/api/portfolio'));
  });
  const exportButton = h('button', { type: 'button', id: 'export-pdf', class: 'primary', text: 'Export PDF',
    onClick: () => exportPdf(exportButton, status) });
  replace(section, h('div', { class: 'row' }, h('h2', { class: 'grow', text: 'Portfolio' }), exportButton),
    h('p', { id: 'solved-counts', text: `Solved: ${solved.total} (easy ${solved.easy}, medium ${solved.medium}, `
      + `hard ${solved.hard})` }),
    portfolio.skills.length ? h('p', { text: `Skills: ${portfolio.skills.join(', ')}` }) : null,
    portfolio.projects.length
      ? h('ul', { class: 'practice-projects', id: 'project-list' }, ...portfolio.projects.map((p) => h('li',
        { class: 'card', dataset: { project: p.id } }, h('strong', { text: p.project_name }),
        p.description ? h('p', { text: p.description }) : null,
        p.skills.length ? h('p', { class: 'muted', text: p.skills.join(', ') }) : null,
        h('button', { type: 'button', class: 'small danger', text: 'Delete', 'aria-label': `Delete ${p.project_name}`,
          onClick: async () => {
            try {
              await api.delete(`/api/portfolio/projects/${encodeURIComponent(p.id)}`);
              showPortfolio(section, await api.get('/api/portfolio'));
            } catch (error) {
              status.show('error', error.message);
            }
          } }))))
      : h('p', { class: 'muted', text: 'No projects yet.' }),
    add, status.element);
}

async function exportPdf(button, status) {
  button.disabled = true;
  status.show('running', 'Making the PDF…');
  try {
    const response = await api.download('/api/portfolio/export', { format: 'pdf' });
    const blob = await response.blob();
    const named = /filename="([^"]+)"/.exec(response.headers.get('Content-Disposition') || '');
    const url = URL.createObjectURL(blob);
    const link = h('a', { href: url, download: named ? named[1] : 'portfolio.pdf', hidden: true });
    document.body.append(link);
    link.click();
    link.remove();
    // The download has its own copy once it starts; the object URL only needs to live that long.
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
    status.show('ok', `PDF ready (${Math.ceil(blob.size / 1024)} KB).`);
  } catch (error) {
    status.show('error', error.message);
  } finally {
    button.disabled = false;
  }
}

async function showHistory(section) {
  const reply = await api.get('/api/submissions?limit=20');
  replace(section, h('h2', { text: 'Recent submissions' }), reply.submissions.length
    ? h('div', { class: 'table-wrap' }, h('table', {},
      h('thead', {}, h('tr', {}, ...['Problem', 'Status', 'Language', 'Runtime', 'XP', 'When']
        .map((text) => h('th', { text, class: text === 'Runtime' || text === 'XP' ? 'num' : null })))),
      h('tbody', {}, ...reply.submissions.map((s) => h('tr', {},
        h('td', {}, h('a', { href: `#/problems/${encodeURIComponent(s.problem_id)}?language=${s.language}`,
          text: s.problem_title })),
        h('td', { text: s.status.replace('_', ' ') }), h('td', { text: languageName(s.language) }),
        h('td', { class: 'num', text: `${s.runtime_ms} ms` }), h('td', { class: 'num', text: String(s.xp_earned) }),
        h('td', { text: formatTime(s.created_at) }))))))
    : h('p', { class: 'muted', text: 'No submissions yet.' }));
}
