/**
 * The part of Go's text/template that `docker inspect -f` and `crictl inspect -o go-template`
 * are used with: {{.A.B}}, {{json .A}}, {{range .A}}…{{end}} over maps and lists, {{index .A "k"}}.
 */
function get(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const k of path.split('.').filter(Boolean)) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[k];
  }
  return cur;
}

function show(v: unknown): string {
  if (v === undefined || v === null) return '<no value>';
  if (typeof v === 'object') {
    if (Array.isArray(v)) return `[${v.map(show).join(' ')}]`;
    return `map[${Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, x]) => `${k}:${show(x)}`).join(' ')}]`;
  }
  return String(v);
}

function evalExpr(expr: string, dot: unknown): unknown {
  const e = expr.trim();
  let m: RegExpExecArray | null;
  if ((m = /^json\s+(\.[\w.]*)$/.exec(e))) return JSON.stringify(get(dot, m[1]!.slice(1)) ?? null);
  if ((m = /^index\s+(\.[\w.]*)\s+"([^"]*)"$/.exec(e))) { const o = get(dot, m[1]!.slice(1)); return o && typeof o === 'object' ? (o as Record<string, unknown>)[m[2]!] : undefined; }
  if (e === '.') return dot;
  if (e.startsWith('.')) return get(dot, e.slice(1));
  if ((m = /^"(.*)"$/.exec(e))) return m[1];
  throw new Error(`function "${e.split(/\s+/)[0]}" not defined`);
}

/** Renders a template against a value; throws with Go's message on what it does not know. */
export function renderTemplate(tpl: string, dot: unknown): string {
  let out = '';
  let i = 0;
  while (i < tpl.length) {
    const open = tpl.indexOf('{{', i);
    if (open < 0) { out += tpl.slice(i); break; }
    out += tpl.slice(i, open);
    const close = tpl.indexOf('}}', open);
    if (close < 0) throw new Error('unclosed action');
    const action = tpl.slice(open + 2, close).replace(/^-\s*|\s*-$/g, '').trim();
    i = close + 2;
    const r = /^range\s+(.+)$/.exec(action);
    if (r) {
      // Find the matching {{end}} (ranges may nest).
      let depth = 1; let j = i; let bodyEnd = -1; let after = -1;
      while (depth > 0) {
        const o = tpl.indexOf('{{', j);
        if (o < 0) throw new Error('unexpected EOF');
        const c = tpl.indexOf('}}', o);
        const a = tpl.slice(o + 2, c).replace(/^-\s*|\s*-$/g, '').trim();
        if (/^(range|if|with)\b/.test(a)) depth++;
        if (a === 'end') { depth--; if (depth === 0) { bodyEnd = o; after = c + 2; } }
        j = c + 2;
      }
      const body = tpl.slice(i, bodyEnd);
      const coll = evalExpr(r[1]!, dot);
      const items = Array.isArray(coll) ? coll : coll && typeof coll === 'object' ? Object.keys(coll as object).sort().map((k) => (coll as Record<string, unknown>)[k]) : [];
      for (const it of items) out += renderTemplate(body, it);
      i = after;
      continue;
    }
    out += show(evalExpr(action, dot));
  }
  return out;
}
