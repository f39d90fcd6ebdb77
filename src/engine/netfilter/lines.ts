/**
 * One line of iptables-restore input, parsed: words (quotes and escapes as iptables-restore's
 * tokenizer splits them), then the command. Parsed lines are kept by text, so a line kube-proxy
 * writes on every node and every sync is parsed once; each use gets its own rule object.
 */
import { shareSpec } from './format';
import { parseIptables, type IptCommand } from './parse';
import type { Rule } from './types';

/** Splits a restore line into words: whitespace-separated, "double" or 'single' quotes group, \" escapes. */
export function tokenize(line: string): string[] {
  if (line.indexOf('"') < 0 && line.indexOf("'") < 0) return line.split(/[ \t]+/).filter((w) => w !== '');
  const out: string[] = [];
  let i = 0;
  const n = line.length;
  while (i < n) {
    while (i < n && (line[i] === ' ' || line[i] === '\t')) i++;
    if (i >= n) break;
    let word = '';
    while (i < n && line[i] !== ' ' && line[i] !== '\t') {
      const c = line[i]!;
      if (c === '"' || c === "'") {
        // A quoted stretch: copy up to the closing quote, honouring \" and \\ escapes.
        let j = i + 1;
        let start = j;
        while (j < n && line[j] !== c) {
          if (line[j] === '\\' && j + 1 < n && (line[j + 1] === c || line[j + 1] === '\\')) { word += line.slice(start, j); start = j + 1; j += 2; continue; }
          j++;
        }
        word += line.slice(start, j);
        i = j + 1;
      } else {
        let j = i;
        while (j < n && line[j] !== ' ' && line[j] !== '\t' && line[j] !== '"' && line[j] !== "'") j++;
        word += line.slice(i, j);
        i = j;
      }
    }
    out.push(word);
  }
  return out;
}

export type ParsedLine = { ok: true; cmd: IptCommand; counters?: { pkts: number; bytes: number } } | { ok: false; error: string };

/**
 * Parsed lines by text. kube-proxy rewrites mostly the same lines on every sync and the
 * playground rebuilds the simulation on every edit, so a line is parsed once; each use gets a
 * fresh rule object (own counters). Rules with an nth counter are not shared.
 */
const lineCache = new Map<string, ParsedLine>();
const LINE_CACHE_MAX = 200_000;

/** Empties the parsed-line cache (benchmarks measure a cold parse with it). */
export function forgetParsedLines(): void {
  lineCache.clear();
}

function freshRule(cmd: IptCommand): IptCommand {
  if (cmd.op !== 'A' && cmd.op !== 'I' && cmd.op !== 'R' && cmd.op !== 'C' && cmd.op !== 'D') return cmd;
  if (!cmd.rule) return cmd;
  const rule: Rule = { ...cmd.rule, counters: { pkts: 0, bytes: 0 } };
  shareSpec(cmd.rule, rule);
  return { ...cmd, rule };
}

export function parseLine(line: string): ParsedLine {
  const hit = lineCache.get(line);
  if (hit) return hit.ok ? { ...hit, cmd: freshRule(hit.cmd) } : hit;
  let words = tokenize(line);
  let counters: { pkts: number; bytes: number } | undefined;
  const cm = /^\[(\d+):(\d+)\]$/.exec(words[0] ?? '');
  if (cm) { counters = { pkts: Number(cm[1]), bytes: Number(cm[2]) }; words = words.slice(1); }
  if (words.includes('-t') || words.includes('--table')) return { ok: false, error: 'The -t option cannot be used in iptables-restore.' };
  const parsed = parseIptables(words);
  const out: ParsedLine = parsed.ok ? { ok: true, cmd: parsed.value.command, ...(counters ? { counters } : {}) } : { ok: false, error: parsed.error.split('\n')[0] ?? '' };
  const cmd = out.ok ? out.cmd : undefined;
  const nth = cmd && 'rule' in cmd && cmd.rule?.matches.some((m) => m.kind === 'statistic' && m.mode === 'nth');
  if (!nth) {
    if (lineCache.size >= LINE_CACHE_MAX) lineCache.clear();
    lineCache.set(line, out);
  }
  // The cached rule itself is never installed: every use, this one included, gets its own copy.
  return out.ok ? { ...out, cmd: nth ? out.cmd : freshRule(out.cmd) } : out;
}

