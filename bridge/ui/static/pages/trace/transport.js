// How a trace reaches the page: steps live over Server-Sent Events, or over Socket.IO once the program
// wants input (only a Socket.IO run can wait for an answer and go on), or in one POST reply for a
// program too long to send in a URL.
import { ApiError, api, authHeaders, getToken, sse } from '/ui/js/api.js';
import { io } from '/ui/vendor/socket.io.esm.min.js';

// aiohttp reads request lines up to 8190 bytes: a longer /execute/stream URL would be refused.
const MAX_STREAM_URL = 7000;

// A run that ended without a reply: the bridge's error (`code`, `message`) or a transport failure.
export class TraceFailure extends Error {
  constructor(code, message) {
    super(message);
    this.name = 'TraceFailure';
    this.code = code;
  }
}

function streamPath({ code, userInput, maxSteps }) {
  const query = new URLSearchParams({ code, user_input: userInput, max_steps: String(maxSteps) });
  return `/api/v1/execute/stream?${query}`;
}

export function fitsStream(program) {
  return streamPath(program).length <= MAX_STREAM_URL;
}

// Runs `program` and gives each step to onStep as it is produced; resolves to the `complete` reply.
export async function streamTrace(program, { signal, onStep }) {
  let complete = null;
  for await (const { event, data } of sse(streamPath(program), { signal })) {
    if (event === 'step') onStep(data);
    else if (event === 'complete') complete = data;
    else if (event === 'error') throw new TraceFailure(data.error_code || 'ERROR', data.error || String(data));
  }
  if (!complete) throw new TraceFailure('STREAM_ENDED', 'the trace stream ended before the run completed');
  return complete;
}

// The whole trace in one reply (no live steps): for programs too long for the stream's URL.
export async function postTrace({ code, userInput, maxSteps }, { signal, onStep }) {
  const reply = await api('POST', '/api/v1/execute', {
    code, user_input: userInput, options: { trace: true, max_steps: maxSteps },
  }, { signal });
  for (const step of reply.steps) onStep(step);
  return reply;
}

// A stored session (`#/trace/<session_id>`): its code, its answers and the steps of its last run.
export async function loadSession(sessionId, { signal }) {
  return api('GET', `/api/v1/sessions/${encodeURIComponent(sessionId)}`, undefined, { signal });
}

// One Socket.IO connection that runs programs and answers their input() while they wait.
// A browser WebSocket cannot send the Authorization header, so with a token the connection stays on
// HTTP long-polling, whose requests can carry it.
export class LiveTrace {
  constructor() {
    this.socket = null;
    this.handlers = null;
  }

  connect() {
    if (this.socket) return this.socket;
    const token = getToken();
    const options = { path: '/socket.io', query: { streaming: 'true' }, reconnection: false };
    if (token) Object.assign(options, { transports: ['polling'], extraHeaders: authHeaders() });
    const socket = io(location.origin, options);
    this.socket = socket;
    socket.on('message', (message) => this.message(message));
    socket.on('connect_error', (error) => {
      if (this.socket !== socket) return;
      this.fail('CONNECT_FAILED', `could not open the live connection (Socket.IO): ${error.message}`);
      this.close();
    });
    socket.on('disconnect', (reason) => {
      if (this.socket !== socket) return; // closed on purpose
      this.socket = null;
      this.fail('DISCONNECTED', `the live connection closed (${reason})`);
    });
    return this.socket;
  }

  // Resolves to the `complete` message; onStep, onInput(prompt) are called while it runs.
  run(program, { onStep, onInput }) {
    return new Promise((resolve, reject) => {
      this.handlers = { onStep, onInput, resolve, reject };
      this.connect().emit('execute', {
        code: program.code, user_input: program.userInput, max_steps: program.maxSteps,
      });
    });
  }

  answer(value) {
    this.socket?.emit('input', { value });
  }

  message(message) {
    const handlers = this.handlers;
    if (!handlers || !message) return;
    if (message.type === 'step') handlers.onStep(message.data);
    else if (message.type === 'input_request') handlers.onInput(message.prompt || '');
    else if (message.type === 'complete') this.settle().resolve(message);
    else if (message.type === 'error') this.fail(message.error_code || 'ERROR', message.error || 'the run failed');
  }

  fail(code, text) {
    this.settle()?.reject(new TraceFailure(code, text));
  }

  settle() {
    const handlers = this.handlers;
    this.handlers = null;
    return handlers;
  }

  close() {
    const socket = this.socket;
    this.socket = null;
    socket?.disconnect();
    this.fail('STOPPED', 'the run was stopped');
  }
}

export function describeFailure(error) {
  if (error instanceof TraceFailure) return { code: error.code, message: error.message };
  if (error instanceof ApiError) return { code: error.code || String(error.status), message: error.message };
  if (error?.name === 'AbortError') return { code: 'STOPPED', message: 'the run was stopped' };
  return { code: 'ERROR', message: String(error?.message || error) };
}
