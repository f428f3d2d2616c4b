// The server's message for parameters that do not fit, split per parameter. It reads
// "params.rows: Input should be a valid integer ... (got 'three'); params.origin.1: ...; params.zz:
// unknown parameter; spawn_actor_grid takes ..." (bridge/scripts/registry.py ScriptParamsError).
const PROBLEM = /(?:^|; )params\.([A-Za-z_][A-Za-z0-9_]*)((?:\.[^:\s]+)*): /g;

// [{param, path, message}] in the order given; [] when the message is not about parameters.
export function paramProblems(message) {
  const starts = [...String(message).matchAll(PROBLEM)];
  return starts.map((match, index) => {
    const end = index + 1 < starts.length ? starts[index + 1].index : message.length;
    const path = match[2] ? match[2].slice(1).split('.') : [];
    return { param: match[1], path, message: message.slice(match.index + match[0].length, end) };
  });
}
