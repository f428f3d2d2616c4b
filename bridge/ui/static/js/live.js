// One /api/ws connection shared by the pages: messages fan out to listeners, and it reconnects.
//
//   const stop = listen((message) => { ... });   // {type, data, timestamp}, every execution's events
//   stop();                                        // the socket closes once nobody listens
//   onState((state) => ...)                        // 'connecting' | 'open' | 'closed'

import { api, openSocket } from './api.js';

const listeners = new Set();
const stateListeners = new Set();
let socket = null;
let state = 'closed';
let retryTimer = null;
let retryDelay = 500;
let idleTimer = null;
let waitingForToken = false;

window.addEventListener('ue-bridge-token', () => {
  if (!waitingForToken) return;
  waitingForToken = false;
  retryDelay = 500;
  connect();
});

function setState(next) {
  state = next;
  for (const listener of stateListeners) listener(state);
}

function scheduleRetry() {
  if (retryTimer || listeners.size === 0) return;
  retryTimer = setTimeout(() => {
    retryTimer = null;
    connect();
  }, retryDelay);
  retryDelay = Math.min(retryDelay * 2, 10_000);
}

async function connect() {
  if (socket || listeners.size === 0) return;
  setState('connecting');
  let opened = false;
  try {
    socket = openSocket('/api/ws');
  } catch (error) {
    // A token with characters a subprotocol cannot carry: the browser refuses it before connecting.
    console.error('cannot open /api/ws', error);
    socket = null;
    setState('closed');
    return;
  }
  const mine = socket;
  mine.addEventListener('open', () => {
    opened = true;
    retryDelay = 500;
    setState('open');
  });
  mine.addEventListener('message', (event) => {
    let message;
    try {
      message = JSON.parse(event.data);
    } catch {
      return;
    }
    for (const listener of [...listeners]) {
      try {
        listener(message);
      } catch (error) {
        console.error('live listener failed', error);
      }
    }
  });
  mine.addEventListener('close', async () => {
    if (socket === mine) socket = null;
    setState('closed');
    if (listeners.size === 0) return;
    if (!opened) {
      // The handshake was refused: a missing or wrong token is the usual reason, and a browser does not
      // say. An HTTP request tells, and asks for the token when that is it.
      try {
        await api('GET', '/api/executions?limit=1');
      } catch (error) {
        if (error.status === 401) {
          waitingForToken = true; // the prompt was dismissed: try again once a token is given, not before
          return;
        }
      }
    }
    scheduleRetry();
  });
}

/** Receive every /api/ws message until the returned function is called. */
export function listen(listener) {
  listeners.add(listener);
  clearTimeout(idleTimer);
  connect();
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0) {
      // A page change unsubscribes then subscribes again at once: keep the socket for that moment.
      idleTimer = setTimeout(() => {
        if (listeners.size === 0 && socket) {
          socket.close(1000, 'no page listens');
          socket = null;
        }
      }, 2000);
    }
  };
}

/** Send a command ({type: 'get_status', data: {execution_id}}) when the socket is open; false otherwise. */
export function send(command) {
  if (!socket || socket.readyState !== WebSocket.OPEN) return false;
  socket.send(JSON.stringify(command));
  return true;
}

/** Hear the connection's state now and on every change; returns the function that stops it. */
export function onState(listener) {
  stateListeners.add(listener);
  listener(state);
  return () => stateListeners.delete(listener);
}

export function liveState() {
  return state;
}
