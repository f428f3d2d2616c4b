// The duel WebSocket (/ws on the practice app's own port): `auth` first, then the seed's messages as JSON.
// A connection that drops mid-duel is opened again (and authenticated again) while the server still holds
// the learner's place: it forfeits them only after its grace period.

const RETRY_MS = 1000;

export class DuelSocket {
  /** `onMessage(message)` gets every message; `onState(state)` 'connecting' | 'open' | 'closed' | 'retrying'. */
  constructor(token, { onMessage, onState }) {
    this.token = token;
    this.onMessage = onMessage;
    this.onState = onState;
    this.socket = null;
    this.closed = false;
    this.keepAlive = false; // true while a duel is on: a drop then reconnects
    this.pending = [];
    this.timer = 0;
    this.opened = false;
    this.open();
  }

  url() {
    return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
  }

  open() {
    this.onState('connecting');
    const socket = new WebSocket(this.url());
    this.socket = socket;
    socket.addEventListener('open', () => {
      this.opened = true;
      socket.send(JSON.stringify({ type: 'auth', token: this.token }));
      for (const message of this.pending.splice(0)) socket.send(JSON.stringify(message));
      this.onState('open');
    });
    socket.addEventListener('message', (event) => {
      let message;
      try {
        message = JSON.parse(event.data);
      } catch {
        return; // not one of the seed's messages
      }
      this.onMessage(message);
    });
    socket.addEventListener('close', (event) => {
      if (this.socket !== socket || this.closed) return;
      if (this.keepAlive) {
        this.onState('retrying');
        this.timer = setTimeout(() => this.open(), RETRY_MS);
      } else {
        this.onState('closed', event.reason || (this.opened ? `closed (${event.code})`
          : 'the duel server did not answer'));
      }
    });
  }

  /** Send now, or as soon as the (re)opened socket is authenticated. */
  send(message) {
    if (this.socket && this.socket.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(message));
    else this.pending.push(message);
  }

  close() {
    this.closed = true;
    clearTimeout(this.timer);
    if (this.socket) this.socket.close(1000, 'left the duel page');
  }
}
