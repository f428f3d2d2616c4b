// Python syntax highlighting: a tokenizer good enough to colour code as it is typed (never to parse it).

const KEYWORDS = new Set(['and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue', 'def', 'del',
  'elif', 'else', 'except', 'finally', 'for', 'from', 'global', 'if', 'import', 'in', 'is', 'lambda',
  'nonlocal', 'not', 'or', 'pass', 'raise', 'return', 'try', 'while', 'with', 'yield', 'match', 'case']);
const CONSTANTS = new Set(['True', 'False', 'None', 'self', 'cls']);
const BUILTINS = new Set(['abs', 'all', 'any', 'bool', 'bytes', 'callable', 'chr', 'dict', 'dir', 'divmod',
  'enumerate', 'eval', 'exec', 'filter', 'float', 'format', 'frozenset', 'getattr', 'globals', 'hasattr',
  'hash', 'help', 'hex', 'id', 'input', 'int', 'isinstance', 'issubclass', 'iter', 'len', 'list', 'locals',
  'map', 'max', 'min', 'next', 'object', 'open', 'ord', 'pow', 'print', 'property', 'range', 'repr',
  'reversed', 'round', 'set', 'setattr', 'slice', 'sorted', 'staticmethod', 'classmethod', 'str', 'sum',
  'super', 'tuple', 'type', 'vars', 'zip', 'Exception', 'ValueError', 'TypeError', 'KeyError',
  'RuntimeError', 'unreal']);

// One alternative per token kind, tried at each position in this order.
const TOKEN = new RegExp([
  /(#[^\n]*)/.source, // 1 comment
  /((?:[rRbBuUfF]{1,2})?(?:'''[\s\S]*?(?:'''|$)|"""[\s\S]*?(?:"""|$)|'(?:\\.|[^'\\\n])*'?|"(?:\\.|[^"\\\n])*"?))/.source, // 2 string
  /(\b(?:0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|(?:\d[\d_]*\.?[\d_]*|\.\d[\d_]*)(?:[eE][+-]?\d+)?[jJ]?)\b)/.source, // 3 number
  /(@[A-Za-z_][\w.]*)/.source, // 4 decorator
  /([A-Za-z_][A-Za-z0-9_]*)/.source, // 5 name
].join('|'), 'g');

/** The code as [kind, text] pairs; kind is null for plain text (spaces, operators). */
export function tokenize(code) {
  const tokens = [];
  let last = 0;
  let afterDef = false;
  TOKEN.lastIndex = 0;
  for (let match = TOKEN.exec(code); match; match = TOKEN.exec(code)) {
    if (match[0] === '') {
      TOKEN.lastIndex += 1;
      continue;
    }
    if (match.index > last) tokens.push([null, code.slice(last, match.index)]);
    let kind = null;
    if (match[1]) kind = 'comment';
    else if (match[2]) kind = 'string';
    else if (match[3]) kind = 'number';
    else if (match[4]) kind = 'decorator';
    else if (match[5]) {
      const word = match[5];
      if (afterDef) kind = 'def';
      else if (KEYWORDS.has(word)) kind = 'keyword';
      else if (CONSTANTS.has(word)) kind = 'constant';
      else if (BUILTINS.has(word)) kind = 'builtin';
      afterDef = word === 'def' || word === 'class';
    }
    if (!match[5]) afterDef = false;
    tokens.push([kind, match[0]]);
    last = TOKEN.lastIndex;
  }
  if (last < code.length) tokens.push([null, code.slice(last)]);
  return tokens;
}

/** The code as a fragment of text nodes and <span class="tok-KIND"> elements (no HTML is parsed). */
export function highlightPython(code) {
  const fragment = document.createDocumentFragment();
  for (const [kind, text] of tokenize(code)) {
    if (kind === null) {
      fragment.appendChild(document.createTextNode(text));
    } else {
      const span = document.createElement('span');
      span.className = `tok-${kind}`;
      span.textContent = text;
      fragment.appendChild(span);
    }
  }
  return fragment;
}
