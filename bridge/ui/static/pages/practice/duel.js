// A duel (#/duel): join the queue by difficulty and language, then solve the same problem as the opponent
// against the clock, seeing their progress and chatting; the winner passes more tests, then is faster.
import { getToken, getUser } from '/ui/js/practice-api.js';
import { h, replace } from '/ui/js/dom.js';
import { createCodeEditor } from '/ui/js/code-editor.js';
import { DIFFICULTIES, LANGUAGES, languageName } from './languages.js';
import { statusLine } from './form.js';
import { DuelSocket } from './duel-socket.js';

const VERDICTS = {
  accepted: 'Accepted', wrong_answer: 'Wrong answer', runtime_error: 'Runtime error',
  compile_error: 'Compile error', timeout: 'Time limit exceeded', memory_limit: 'Memory limit exceeded',
};

export function mount(container) {
  const page = new DuelPage(container);
  return () => page.destroy();
}

class DuelPage {
  constructor(container) {
    this.me = (getUser() || {}).username;
    this.duel = null;
    this.clock = 0;
    this.connection = statusLine('duel-connection');
    this.status = statusLine('duel-status');
    this.difficulty = h('select', { id: 'duel-difficulty' },
      ...DIFFICULTIES.map((d) => h('option', { value: d, text: d })));
    this.language = h('select', { id: 'duel-language' },
      ...LANGUAGES.map(([id, name]) => h('option', { value: id, text: name })));
    this.joinButton = h('button', { type: 'submit', class: 'primary', text: 'Find an opponent' });
    this.queue = h('form', { id: 'duel-queue', class: 'card row practice-filters wide', 'aria-label': 'Join the queue' },
      h('div', { class: 'field' }, h('label', { for: 'duel-difficulty', text: 'Difficulty' }), this.difficulty),
      h('div', { class: 'field' }, h('label', { for: 'duel-language', text: 'Language' }), this.language),
      this.joinButton);
    this.queue.addEventListener('submit', (event) => {
      event.preventDefault();
      this.join();
    });
    this.arena = h('section', { id: 'duel-arena', class: 'card stack', hidden: true, 'aria-label': 'The duel' });
    this.progress = h('section', { id: 'duel-opponent', class: 'card stack', hidden: true,
      'aria-label': 'Opponent' });
    this.chatLog = h('ol', { id: 'duel-chat-log', class: 'practice-chat-log', 'aria-live': 'polite' });
    this.chatInput = h('input', { id: 'duel-chat-input', type: 'text', maxlength: '500', 'aria-label': 'Message' });
    const chatForm = h('form', { class: 'row' }, this.chatInput, h('button', { type: 'submit', text: 'Send' }));
    chatForm.addEventListener('submit', (event) => {
      event.preventDefault();
      this.say();
    });
    this.chat = h('section', { id: 'duel-chat', class: 'card stack', hidden: true, 'aria-label': 'Chat' },
      h('h2', { text: 'Chat' }), this.chatLog, chatForm);
    this.result = h('section', { id: 'duel-result', class: 'card wide', hidden: true, 'aria-label': 'Result',
      role: 'status' });
    container.append(h('h1', { text: 'Duel' }), this.connection.element,
      h('div', { class: 'practice-duel' }, this.queue, this.status.element, this.result, this.arena,
        h('div', { class: 'stack' }, this.progress, this.chat)));
    this.socket = new DuelSocket(getToken(), {
      onMessage: (message) => this.receive(message),
      onState: (state, why) => this.showConnection(state, why),
    });
  }

  showConnection(state, why) {
    const says = {
      connecting: ['running', 'Connecting…'], open: ['ok', 'Connected.'],
      retrying: ['error', 'Connection lost: reconnecting…'], closed: ['error', `Disconnected: ${why}`],
    };
    const [kind, text] = says[state];
    this.connection.show(kind, text);
    this.connection.element.dataset.state = state;
  }

  join() {
    this.result.hidden = true;
    this.joinButton.disabled = true;
    this.socket.send({ type: 'join-queue', difficulty: this.difficulty.value, language: this.language.value });
    this.status.show('running', `Waiting for an opponent (${this.difficulty.value}, `
      + `${languageName(this.language.value)})…`);
    this.status.element.dataset.phase = 'queued';
  }

  receive(message) {
    const handlers = {
      'match-found': () => this.matchFound(message),
      'duel-state': () => this.restore(message),
      'code-result': () => this.codeResult(message),
      'opponent-progress': () => this.opponentProgress(message),
      'duel-complete': () => this.complete(message),
      'receive-message': () => this.heard(message),
      error: () => this.failed(message),
    };
    const handler = handlers[message.type];
    if (handler) handler();
  }

  matchFound(message) {
    this.duel = { id: message.duel_id, opponent: message.opponent, problem: message.problem,
      language: message.language || this.language.value, starts: Date.parse(message.starts_at),
      ends: Date.parse(message.starts_at) + message.problem.time_limit_seconds * 1000 };
    this.judging = false;
    this.socket.keepAlive = true;
    this.queue.hidden = true;
    this.editor = createCodeEditor({ id: 'duel-code', label: 'Your solution', onRun: () => this.submit() });
    this.clockText = h('p', { id: 'duel-clock', class: 'muted' });
    this.submitButton = h('button', { type: 'button', class: 'primary', text: 'Submit', onClick: () => this.submit() });
    this.mine = statusLine('duel-my-result');
    replace(this.arena, h('h2', { id: 'duel-problem-title', text: message.problem.title }), this.clockText,
      h('pre', { class: 'practice-description', text: message.problem.description }),
      h('p', { class: 'muted', text: `Solve it in ${languageName(this.duel.language)}.` }),
      this.editor.element,
      h('div', { class: 'row' }, this.submitButton, h('span', { class: 'grow' }),
        h('button', { type: 'button', class: 'danger', text: 'Forfeit', onClick: () => this.forfeit() })),
      this.mine.element);
    this.opponentBar = h('progress', { id: 'duel-opponent-progress', class: 'practice-progress', max: '1',
      value: '0' });
    this.opponentText = h('p', { id: 'duel-opponent-status', text: 'Not submitted yet.' });
    replace(this.progress, h('h2', { text: `${message.opponent.username} · level ${message.opponent.level}` }),
      this.opponentBar, this.opponentText);
    this.arena.hidden = this.progress.hidden = this.chat.hidden = false;
    this.status.show('ok', `Matched with ${message.opponent.username} (level ${message.opponent.level}).`);
    this.status.element.dataset.phase = 'matched';
    this.editor.value = message.problem.starter_code || '';
    clearInterval(this.clock);
    this.tick();
    this.clock = setInterval(() => this.tick(), 1000);
  }

  // The page opened again (or its socket came back) mid-duel: the server's duel-state is match-found plus
  // both players' progress.
  restore(message) {
    if (!this.duel || this.duel.id !== message.duel_id) this.matchFound(message);
    const them = message.opponent_progress;
    if (them) this.opponentProgress(them);
  }

  tick() {
    if (!this.duel) return;
    const now = Date.now();
    // The server refuses submissions before the start: the button waits for it.
    if (!this.judging) this.submitButton.disabled = now < this.duel.starts;
    const left = Math.max(0, Math.round((this.duel.ends - Math.max(now, this.duel.starts)) / 1000));
    const wait = now < this.duel.starts ? ` (starts in ${Math.ceil((this.duel.starts - now) / 1000)} s)` : '';
    this.clockText.textContent = `Time left: ${Math.floor(left / 60)}:${String(left % 60).padStart(2, '0')}${wait}`;
  }

  submit() {
    if (!this.duel || Date.now() < this.duel.starts) return;
    this.judging = true;
    this.submitButton.disabled = true;
    this.mine.show('running', 'Judging…');
    this.socket.send({ type: 'code-submit', duel_id: this.duel.id, code: this.editor.value });
  }

  codeResult(message) {
    if (!this.duel) return;
    this.judging = false;
    this.submitButton.disabled = false;
    const xp = message.xp_earned ? ` +${message.xp_earned} XP` : '';
    this.mine.show(message.status === 'accepted' ? 'ok' : 'error', `${VERDICTS[message.status] || message.status}: `
      + `${message.passed_tests}/${message.total_tests} tests passed${xp}`);
    this.mine.element.dataset.verdict = message.status;
  }

  opponentProgress(message) {
    if (!this.duel) return;
    this.opponentBar.max = String(Math.max(message.total_tests, 1));
    this.opponentBar.value = String(message.passed_tests);
    this.opponentText.textContent = `${message.opponent}: ${message.passed_tests}/${message.total_tests} tests `
      + `passed (${message.status}).`;
    this.opponentText.dataset.passed = String(message.passed_tests);
  }

  forfeit() {
    if (this.duel) this.socket.send({ type: 'forfeit', duel_id: this.duel.id });
  }

  complete(message) {
    clearInterval(this.clock);
    this.socket.keepAlive = false;
    const won = message.winner === this.me;
    const line = (p) => (p.time_seconds === null ? `${p.username}: no tests passed`
      : `${p.username}: ${p.passed_tests} tests passed in ${p.time_seconds} s`);
    replace(this.result, h('h2', { id: 'duel-winner',
      text: message.winner ? (won ? 'You won!' : `${message.winner} won.`) : 'A draw.' }),
    h('p', { text: line(message.player1) }), h('p', { text: line(message.player2) }),
    h('p', {}, h('a', { href: '#/leaderboard', text: 'See the leaderboard' })));
    this.result.dataset.outcome = message.winner ? (won ? 'won' : 'lost') : 'draw';
    this.result.hidden = false;
    this.arena.hidden = this.progress.hidden = true;
    this.duel = null;
    this.queue.hidden = false;
    this.joinButton.disabled = false;
    this.status.clear();
    delete this.status.element.dataset.phase;
  }

  say() {
    const text = this.chatInput.value.trim();
    if (!text || !this.duel) return;
    this.socket.send({ type: 'send-message', duel_id: this.duel.id, message: text });
    this.chatInput.value = '';
    this.addChat(this.me, text, new Date().toISOString());
  }

  heard(message) {
    if (message.from === this.me) return; // our own line, shown when we sent it
    this.addChat(message.from, message.message, message.timestamp);
  }

  addChat(from, text, when) {
    this.chatLog.append(h('li', { title: when || '' }, h('span', { class: 'from', text: `${from}:` }), text));
    this.chatLog.scrollTop = this.chatLog.scrollHeight;
  }

  failed(message) {
    const text = message.error || message.message || 'The duel server refused that.';
    (this.duel ? this.mine : this.status).show('error', text);
    if (!this.duel) this.joinButton.disabled = false;
    this.judging = false;
    if (this.submitButton) this.submitButton.disabled = false;
  }

  destroy() {
    clearInterval(this.clock);
    this.socket.close();
  }
}
