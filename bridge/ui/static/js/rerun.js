// Re-run: the same request again, built from what the history kept of a run.
//
// What each kind keeps decides what can be repeated: an editor job keeps its code, mode, session,
// timeout, name, tags and metadata; a command its command line, folder, environment, tags, metadata and
// timeout (not whether it ran through a shell: the page asks); a trace its code and options; a sandbox
// run its language, version, code and limits. Neither keeps its input (stdin, input() answers), and a
// script run keeps its call only as text: it is run again from the Scripts page.

import { api } from './api.js';
import { listen } from './live.js';

const ADOPT_WAIT_MS = 5000;

/** What re-running `execution` would send, or {reason} when it cannot be repeated from the record. */
export function rerunPlan(execution, job, { shell = false } = {}) {
  const metadata = { ...(execution.metadata || {}) };
  const tags = execution.tags || [];
  switch (execution.kind) {
    case 'editor': {
      if (!job) return { reason: 'the job record is not available' };
      delete metadata.mode; // the bridge keeps the request's `mode` there; it goes back as `mode`
      const body = { code: execution.command, mode: job.mode || 'exec', timeout: job.timeout, tags, metadata,
        async: true };
      if (job.session_id) body.session_id = job.session_id;
      if (job.name) body.name = job.name;
      return { method: 'POST', path: '/api/v1/python/execute', body, idFrom: (reply) => reply.job_id };
    }
    case 'command': {
      const body = { command: execution.command, tags, metadata, shell };
      if (execution.name) body.name = execution.name;
      if (execution.working_directory) body.working_directory = execution.working_directory;
      if (execution.environment && Object.keys(execution.environment).length) {
        body.environment = execution.environment;
      }
      return { method: 'POST', path: '/api/executions', body, idFrom: (reply) => reply.data.execution_id };
    }
    case 'trace': {
      const options = {};
      if (metadata.max_steps) options.max_steps = metadata.max_steps;
      if (metadata.traced === false) options.trace = false;
      return {
        method: 'POST', path: '/api/v1/execute', body: { code: execution.command, options }, adopt: 'trace',
        note: 'input() answers are not kept with a run: the re-run gets none.',
      };
    }
    case 'sandbox': {
      if (!metadata.language) return { reason: 'the run does not record its language' };
      const body = { code: execution.command, language: metadata.language };
      for (const key of ['language_version', 'timeout_ms', 'memory_mb', 'cpu_count']) {
        if (metadata[key] !== undefined && metadata[key] !== null) body[key] = metadata[key];
      }
      return {
        method: 'POST', path: '/api/execute', body, adopt: 'sandbox',
        note: 'stdin is not kept with a run: the re-run gets none.',
      };
    }
    case 'script':
      return { reason: 'a script run keeps its call as text, not its parameters: run it again from Scripts' };
    default:
      return { reason: `runs of kind ${execution.kind} cannot be repeated from here` };
  }
}

/**
 * Send the plan's request; resolves with the new run's id. A trace or sandbox reply does not name its
 * run, so the id is the one of the run of that kind and code that starts meanwhile (seen on /api/ws).
 */
export async function rerun(plan) {
  if (!plan.adopt) {
    const reply = await api(plan.method, plan.path, plan.body);
    return plan.idFrom(reply);
  }
  let adopted = null;
  let resolveAdopted;
  const seen = new Promise((resolve) => { resolveAdopted = resolve; });
  const stop = listen((message) => {
    const data = message.data || {};
    if (!adopted && message.type === 'execution_started' && data.kind === plan.adopt
        && data.command === plan.body.code) {
      adopted = data.execution_id;
      resolveAdopted(adopted);
    }
  });
  try {
    const reply = api(plan.method, plan.path, plan.body);
    const first = await Promise.race([seen, reply.then(() => null)]);
    if (first) {
      reply.catch(() => {}); // it ends on the run's page
      return first;
    }
    await reply;
    return adopted || await Promise.race([seen, new Promise((resolve) => setTimeout(resolve, ADOPT_WAIT_MS, null))])
      || await newestOf(plan);
  } finally {
    stop();
  }
}

async function newestOf(plan) {
  const reply = await api('GET', `/api/executions?kind=${plan.adopt}&limit=20`);
  const match = reply.data.executions.find((execution) => execution.command === plan.body.code);
  return match ? match.id : null;
}
