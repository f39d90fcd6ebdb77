/**
 * The subset of kubectl's JSONPath that tutorials use: `{.spec.clusterIP}`,
 * `{.items[*].status.podIP}`, `{.items[0].metadata.name}`, `{.metadata.labels['app']}`,
 * `{.status.conditions[?(@.type=="Ready")].status}`, `{range .items[*]}...{end}`, and the
 * literals `{"\n"}` / `{"\t"}`. Several results are joined with spaces, as kubectl does.
 */

type Tok = { kind: 'text'; text: string } | { kind: 'expr'; expr: string };

function lex(template: string): Tok[] | string {
  const out: Tok[] = [];
  let i = 0;
  while (i < template.length) {
    const open = template.indexOf('{', i);
    if (open < 0) { out.push({ kind: 'text', text: template.slice(i) }); break; }
    if (open > i) out.push({ kind: 'text', text: template.slice(i, open) });
    let depth = 0; let j = open; let q: string | null = null;
    for (; j < template.length; j++) {
      const c = template[j]!;
      if (q) { if (c === q) q = null; continue; }
      if (c === '"' || c === "'") { q = c; continue; }
      if (c === '{') depth++;
      if (c === '}') { depth--; if (depth === 0) break; }
    }
    if (j >= template.length) return 'unclosed action';
    out.push({ kind: 'expr', expr: template.slice(open + 1, j).trim() });
    i = j + 1;
  }
  return out;
}

/** Evaluates one path against `cur` (with `root` for paths starting at `$`). */
function evalPath(cur: unknown, path: string): unknown[] | string {
  let p = path.trim();
  if (p.startsWith('$')) p = p.slice(1);
  if (p.startsWith('@')) p = p.slice(1);
  let vals: unknown[] = [cur];
  let i = 0;
  while (i < p.length) {
    const c = p[i]!;
    if (c === '.') {
      let j = i + 1;
      while (j < p.length && /[\w-]/.test(p[j]!)) j++;
      const key = p.slice(i + 1, j);
      if (key) vals = vals.flatMap((v) => (v && typeof v === 'object' && !Array.isArray(v) && key in v ? [(v as Record<string, unknown>)[key]] : []));
      i = j;
      continue;
    }
    if (c === '[') {
      const j = p.indexOf(']', i);
      if (j < 0) return `unterminated array`;
      const inner = p.slice(i + 1, j).trim();
      if (inner === '*') vals = vals.flatMap((v) => (Array.isArray(v) ? v : v && typeof v === 'object' ? Object.values(v) : []));
      else if (/^-?\d+$/.test(inner)) {
        const n = Number(inner);
        vals = vals.flatMap((v) => (Array.isArray(v) ? (v.at(n) === undefined ? [] : [v.at(n)]) : []));
      } else if (/^['"].*['"]$/.test(inner)) {
        const key = inner.slice(1, -1);
        vals = vals.flatMap((v) => (v && typeof v === 'object' && key in v ? [(v as Record<string, unknown>)[key]] : []));
      } else if (inner.startsWith('?(') && inner.endsWith(')')) {
        const m = /^@\.([\w.-]+)\s*(==|!=)\s*["']?([^"']*)["']?$/.exec(inner.slice(2, -1).trim());
        if (!m) return `unrecognized filter ${inner}`;
        const [, field, op, want] = m;
        vals = vals.flatMap((v) => (Array.isArray(v) ? v : [])).filter((item) => {
          const got = evalPath(item, `.${field}`);
          const s = Array.isArray(got) && got.length ? String(got[0]) : undefined;
          return op === '==' ? s === want : s !== want;
        });
      } else return `unrecognized identifier ${inner}`;
      i = j + 1;
      continue;
    }
    return `unrecognized character in action: U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')} '${c}'`;
  }
  return vals;
}

const show = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v));

function unquote(s: string): string {
  return s.slice(1, -1).replace(/\\n/g, '\n').replace(/\\t/g, '\t').replace(/\\"/g, '"');
}

function run(toks: Tok[], from: number, cur: unknown, out: string[]): number | string {
  let i = from;
  while (i < toks.length) {
    const t = toks[i]!;
    if (t.kind === 'text') { out.push(t.text); i++; continue; }
    if (t.expr === 'end') return i;
    if (t.expr.startsWith('range ')) {
      const vals = evalPath(cur, t.expr.slice(6));
      if (typeof vals === 'string') return vals;
      const items = vals.length === 1 && Array.isArray(vals[0]) ? vals[0] : vals;
      let end = -1;
      if (items.length === 0) {
        const r = run(toks, i + 1, undefined, []);
        if (typeof r === 'string') return r;
        end = r;
      }
      for (const item of items) {
        const r = run(toks, i + 1, item, out);
        if (typeof r === 'string') return r;
        end = r;
      }
      if (end < 0 || toks[end]?.kind !== 'expr') return 'not in range, nothing to end';
      i = end + 1;
      continue;
    }
    if (/^(["']).*\1$/s.test(t.expr)) { out.push(unquote(t.expr)); i++; continue; }
    const vals = evalPath(cur, t.expr);
    if (typeof vals === 'string') return vals;
    out.push(vals.map(show).join(' '));
    i++;
  }
  return i;
}

/** Returns the text, or an error message as kubectl words it. */
export function jsonpath(template: string, data: unknown): { text: string } | { error: string } {
  const toks = lex(template);
  if (typeof toks === 'string') return { error: `error: error parsing jsonpath ${template}, ${toks}` };
  const out: string[] = [];
  const r = run(toks, 0, data, out);
  if (typeof r === 'string') return { error: `error: error parsing jsonpath ${template}, ${r}` };
  return { text: out.join('') };
}
