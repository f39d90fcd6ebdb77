/**
 * `iptables`, `iptables-save` and `conntrack` in the simulated terminal, printing what
 * iptables 1.8 (nf_tables) and conntrack-tools 1.4 print, errors included. The rules they show
 * and change are the ones the packet walk runs (src/engine/netfilter).
 */
import { CONNTRACK_VERSION, formatEntry } from '../conntrack/format';
import { deleteEntry, sweep } from '../conntrack/table';
import type { CtEntry } from '../conntrack/types';
import { nsForTarget } from '../net/lookup';
import type { NetNs } from '../net/types';
import { formatRule, listAddr, listOptions, protoName, targetName } from '../netfilter/format';
import { findSet } from '../netfilter/ipset';
import { applyCommand } from '../netfilter/ops';
import { canonicalIPv6 } from '../addr/ip6';
import { IPT_VERSION, parseIptables, protoNum, usageError, type ParsedArgs } from '../netfilter/parse';
import { iptablesRestore, iptablesSave, orderedChains } from '../netfilter/restore';
import { ensureNetfilter, isTableName, newNetfilterState, onTables6, readCounters, referenceCounts } from '../netfilter/state';
import { isBuiltin, type Chain, type Rule, type Table } from '../netfilter/types';
import { fail, ok, type Command, type CommandResult, type ShellContext } from './types';

/** The namespace a command runs in (the target's own, its `ip netns` namespace, or a hostNetwork Pod's node). */
export function targetNs(ctx: ShellContext): NetNs | null {
  return nsForTarget(ctx.sim, ctx.target) ?? null;
}

const noNs = (tool: string): CommandResult => fail(`${tool}: not available on the workstation; run it in a node, pod or host (knp exec node/NAME ${tool} ...)\n`, 127);

const changed = (ctx: ShellContext): CommandResult => {
  ctx.sim.net.generation++;
  return ok('', true);
};

// ---- iptables -L ------------------------------------------------------------------------------

const pad = (s: string, n: number): string => (s.length >= n ? s : s + ' '.repeat(n - s.length));
const padL = (s: string, n: number): string => (s.length >= n ? s : ' '.repeat(n - s.length) + s);

/** xtables_print_num: "%8llu " with -x (packets and bytes alike), else 5 wide with K/M/G/T past 99999. */
function num(n: number, exact: boolean): string {
  if (exact) return `${padL(String(n), 8)} `;
  if (n <= 99999) return `${padL(String(n), 5)} `;
  let v = n;
  for (const unit of ['K', 'M', 'G', 'T']) {
    v = Math.floor((v + 500) / 1000);
    if (v <= 9999 || unit === 'T') return `${padL(String(v), 4)}${unit} `;
  }
  return `${n} `;
}

function listHeader(o: ParsedArgs): string {
  let s = '';
  if (o.lineNumbers) s += 'num  ';
  if (o.verbose) s += o.exact ? `${padL('pkts', 8)} ${padL('bytes', 10)} ` : `${padL('pkts', 5)} ${padL('bytes', 5)} `;
  s += `${pad('target', 9)}  prot opt`;
  if (o.verbose) s += ` ${pad('in', 6)} ${pad('out', 6)} `;
  s += ` ${pad('source', 19)}  ${pad('destination', 19)} `;
  return s;
}

function listRule(r: Rule, i: number, o: ParsedArgs, table: Table): string {
  let s = '';
  if (o.lineNumbers) s += `${pad(String(i + 1), 4)} `;
  if (o.verbose) { const n = readCounters(table, r); s += num(n.pkts, o.exact) + num(n.bytes, o.exact); }
  s += `${pad(targetName(r.target), 9)} `;
  s += `${r.proto?.inv ? '!' : ' '}${pad(protoName(r.proto?.num ?? 0), 5)}`;
  s += '-- ';
  if (o.verbose) {
    const iface = (m: Rule['inIface']): string => (m ? `${m.inv ? '!' : ''}${m.name}` : o.numeric ? '*' : 'any');
    s += ` ${pad(iface(r.inIface), 6)} ${pad(iface(r.outIface), 6)} `;
  }
  // Without -n iptables would resolve names; the simulation prints numbers, except "anywhere".
  const addr = (a: Rule['src']): string => (!a || a.len === 0 ? (o.numeric ? '0.0.0.0/0' : 'anywhere') : listAddr(a));
  s += `${r.src?.inv ? '!' : ' '}${pad(addr(r.src), 19)} `;
  s += `${r.dst?.inv ? '!' : ' '}${pad(addr(r.dst), 19)} `;
  const opts = listOptions(r);
  return opts ? `${s} ${opts}` : s;
}

function listChain(c: Chain, o: ParsedArgs, refs: Map<string, number>, table: Table): string {
  const head = c.policy
    ? `Chain ${c.name} (policy ${c.policy}${o.verbose ? ` ${c.policyCounters.pkts} packets, ${c.policyCounters.bytes} bytes` : ''})`
    : `Chain ${c.name} (${refs.get(c.name) ?? 0} references)`;
  return [head, listHeader(o), ...c.rules.map((r, i) => listRule(r, i, o, table))].join('\n');
}

function listRulesS(c: Chain, table: Table): string[] {
  const first = isBuiltin(table.name, c.name) ? `-P ${c.name} ${c.policy ?? 'ACCEPT'}` : `-N ${c.name}`;
  return [first, ...c.rules.map((r) => formatRule(c.name, r))];
}

const NO_CHAIN = 'iptables: No chain/target/match by that name.\n';

function iptablesCmd(ctx: ShellContext, argv: readonly string[]): CommandResult {
  const args = argv.slice(1);
  if (args.includes('-V') || args.includes('--version')) return ok(`${IPT_VERSION}\n`);
  if (args.includes('-h') || args.includes('--help')) {
    return ok(`${IPT_VERSION}\n\nUsage: iptables -[ACD] chain rule-specification [options]\n       iptables -I chain [rulenum] rule-specification [options]\n       iptables -R chain rulenum rule-specification [options]\n       iptables -D chain rulenum [options]\n       iptables -[LS] [chain [rulenum]] [options]\n       iptables -[FZ] [chain] [options]\n       iptables -[NX] chain\n       iptables -E old-chain-name new-chain-name\n       iptables -P chain target [options]\n       iptables -h (print this help information)\n`);
  }
  const ns = targetNs(ctx);
  if (!ns) return noNs('iptables');
  const parsed = parseIptables(args);
  if (!parsed.ok) return fail(parsed.error, parsed.code);
  const o = parsed.value;
  if (!isTableName(o.table)) return fail(`${IPT_VERSION}: table '${o.table}' does not exist\nPerhaps iptables or your kernel needs to be upgraded.\n`, 3);
  const cmd = o.command;
  // Listing does not load anything: a namespace without rules shows empty built-in chains.
  const state = cmd.op === 'L' || cmd.op === 'S' || cmd.op === 'C' ? ns.netfilter ?? newNetfilterState() : ensureNetfilter(ns);
  const table = state.tables[o.table];
  if (cmd.op === 'L') {
    const refs = referenceCounts(table);
    if (cmd.chain !== undefined) {
      const c = table.chains.get(cmd.chain);
      if (!c) return fail(NO_CHAIN, 1);
      return ok(`${listChain(c, o, refs, table)}\n`);
    }
    return ok(`${orderedChains(table).map((c) => listChain(c, o, refs, table)).join('\n\n')}\n`);
  }
  if (cmd.op === 'S') {
    if (cmd.chain !== undefined) {
      const c = table.chains.get(cmd.chain);
      if (!c) return fail(NO_CHAIN, 1);
      if (cmd.num !== undefined) {
        const r = c.rules[cmd.num - 1];
        if (cmd.num === 0) return ok(`${listRulesS(c, table)[0]}\n`);
        if (!r) return fail('iptables: Index of deletion too big.\n', 1);
        return ok(`${formatRule(c.name, r)}\n`);
      }
      return ok(`${listRulesS(c, table).join('\n')}\n`);
    }
    const chains = orderedChains(table);
    const lines = [
      ...chains.filter((c) => c.policy).map((c) => `-P ${c.name} ${c.policy}`),
      ...chains.filter((c) => !c.policy).map((c) => `-N ${c.name}`),
      ...chains.flatMap((c) => c.rules.map((r) => formatRule(c.name, r))),
    ];
    return ok(`${lines.join('\n')}\n`);
  }
  if ((cmd.op === 'A' || cmd.op === 'I' || cmd.op === 'R') && ns) {
    // xt_set resolves the set by name when the rule is loaded.
    const missing = cmd.rule.matches.find((m) => m.kind === 'set' && !findSet(ns, m.name));
    if (missing && missing.kind === 'set') return fail(`${IPT_VERSION}: Set ${missing.name} doesn't exist.\n\nTry \`iptables -h' or 'iptables --help' for more information.\n`, 2);
  }
  const r = applyCommand(table, cmd);
  if (!r.ok) return fail(r.error, r.code);
  if (cmd.op === 'C') return ok('');
  table.used = true;
  return changed(ctx);
}


function iptablesSaveCmd(ctx: ShellContext, argv: readonly string[]): CommandResult {
  const ns = targetNs(ctx);
  if (!ns) return noNs('iptables-save');
  let table: string | undefined;
  let counters = false;
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '-t' || a === '--table') {
      table = argv[++i];
      if (table === undefined) return fail(`iptables-save v1.8.9 (nf_tables): option '${a}' requires an argument\n`, 2);
    } else if (a.startsWith('--table=')) table = a.slice(8);
    else if (a === '-c' || a === '--counters') counters = true;
    else if (a === '-V' || a === '--version') return ok('iptables-save v1.8.9 (nf_tables)\n');
    else return fail(`iptables-save v1.8.9 (nf_tables): unknown option "${a}"\nTry \`iptables-save -h' or 'iptables-save --help' for more information.\n`, 2);
  }
  if (table !== undefined && !isTableName(table)) return fail(`iptables-save v1.8.9 (nf_tables): Cannot initialize: table '${table}' does not exist\n`, 1);
  return ok(iptablesSave(ns, table, { counters }));
}

// ---- conntrack ---------------------------------------------------------------------------------

interface CtFilter {
  proto?: number;
  origSrc?: string; origDst?: string; replySrc?: string; replyDst?: string;
  sport?: number; dport?: number; replySport?: number; replyDport?: number;
  state?: string; mark?: number; srcNat?: boolean; dstNat?: boolean;
  /** -f ipv4|ipv6: conntrack lists IPv4 entries unless asked for IPv6. */
  family?: 4 | 6;
}

function ctMatches(e: CtEntry, f: CtFilter): boolean {
  if ((e.orig.src.includes(':') ? 6 : 4) !== (f.family ?? 4)) return false;
  if (f.proto !== undefined && e.orig.proto !== f.proto) return false;
  if (f.origSrc !== undefined && e.orig.src !== f.origSrc) return false;
  if (f.origDst !== undefined && e.orig.dst !== f.origDst) return false;
  if (f.replySrc !== undefined && e.reply.src !== f.replySrc) return false;
  if (f.replyDst !== undefined && e.reply.dst !== f.replyDst) return false;
  if (f.sport !== undefined && e.orig.sport !== f.sport) return false;
  if (f.dport !== undefined && e.orig.dport !== f.dport) return false;
  if (f.replySport !== undefined && e.reply.sport !== f.replySport) return false;
  if (f.replyDport !== undefined && e.reply.dport !== f.replyDport) return false;
  if (f.state !== undefined && e.tcp !== f.state) return false;
  if (f.mark !== undefined && e.mark !== f.mark) return false;
  if (f.srcNat && !e.srcNat) return false;
  if (f.dstNat && !e.dstNat) return false;
  return true;
}

const ctErr = (msg: string, code = 2): CommandResult => fail(`${CONNTRACK_VERSION}: ${msg}\n`, code);

function conntrackCmd(ctx: ShellContext, argv: readonly string[]): CommandResult {
  let op: 'L' | 'D' | 'C' | 'F' | undefined;
  const f: CtFilter = {};
  let extended = false;
  const setOp = (o: 'L' | 'D' | 'C' | 'F'): CommandResult | null => {
    if (op && op !== o) return ctErr('Invalid parameters');
    op = o; return null;
  };
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i]!;
    const val = (): string | undefined => argv[++i];
    const ipArg = (): string | CommandResult => { const v = val(); const v6 = v?.includes(':') ? canonicalIPv6(v) : null; if (v6) f.family = 6; return v6 ?? (v && /^\d+\.\d+\.\d+\.\d+$/.test(v) ? v : ctErr(`Bad parameter \`${v ?? ''}'`)); };
    const portArg = (): number | CommandResult => { const v = Number(val()); return Number.isInteger(v) && v >= 0 && v <= 65535 ? v : ctErr('invalid port'); };
    let r: CommandResult | null = null;
    switch (a) {
      case '-L': case '--dump': r = setOp('L'); if (argv[i + 1] === 'conntrack') i++; break;
      case '-D': case '--delete': r = setOp('D'); break;
      case '-C': case '--count': r = setOp('C'); break;
      case '-F': case '--flush': r = setOp('F'); break;
      case '-p': case '--proto': case '--protonum': {
        const v = val() ?? '';
        const n = protoNum(v);
        if (n === null) return ctErr(`proto \`${v}' not found`);
        f.proto = n; break;
      }
      case '-s': case '--src': case '--orig-src': { const v = ipArg(); if (typeof v !== 'string') return v; f.origSrc = v; break; }
      case '-d': case '--dst': case '--orig-dst': { const v = ipArg(); if (typeof v !== 'string') return v; f.origDst = v; break; }
      case '-r': case '--reply-src': { const v = ipArg(); if (typeof v !== 'string') return v; f.replySrc = v; break; }
      case '-q': case '--reply-dst': { const v = ipArg(); if (typeof v !== 'string') return v; f.replyDst = v; break; }
      case '--sport': case '--orig-port-src': { const v = portArg(); if (typeof v !== 'number') return v; f.sport = v; break; }
      case '--dport': case '--orig-port-dst': { const v = portArg(); if (typeof v !== 'number') return v; f.dport = v; break; }
      case '--reply-port-src': { const v = portArg(); if (typeof v !== 'number') return v; f.replySport = v; break; }
      case '--reply-port-dst': { const v = portArg(); if (typeof v !== 'number') return v; f.replyDport = v; break; }
      case '--state': f.state = (val() ?? '').toUpperCase(); break;
      case '-m': case '--mark': { const v = Number(val()); if (!Number.isInteger(v)) return ctErr('Bad mark'); f.mark = v; break; }
      case '-n': case '--src-nat': f.srcNat = true; break;
      case '-g': case '--dst-nat': f.dstNat = true; break;
      case '-f': case '--family': {
        const v = val();
        if (v === 'ipv6') f.family = 6; else if (v === 'ipv4') f.family = 4;
        else return ctErr(`Wrong family ${v ?? ''}`);
        break;
      }
      case '-o': case '--output': extended = (val() ?? '').split(',').includes('extended'); break;
      case '-V': case '--version': return ok(`${CONNTRACK_VERSION}\n`);
      default: return ctErr(`unknown option \`${a}'\nTry \`conntrack -h' or 'conntrack --help' for more information.`);
    }
    if (r) return r;
  }
  if (!op) return ctErr('no command specified\nTry `conntrack -h\' or \'conntrack --help\' for more information.');
  const ns = targetNs(ctx);
  if (!ns) return noNs('conntrack');
  const table = ns.conntrack;
  const now = ctx.sim.now;
  if (table) sweep(table, now);
  const entries = table ? [...table.entries.values()].filter((e) => e.confirmed && e.expires > now) : [];
  const line = (e: CtEntry): string => (extended ? `${e.orig.src.includes(':') ? 'ipv6     10' : 'ipv4     2'} ${formatEntry(e, now)}` : formatEntry(e, now));
  switch (op) {
    case 'C': return ok(`${entries.length}\n`);
    case 'F': {
      if (table) for (const e of [...table.entries.values()]) deleteEntry(table, e.id);
      ctx.sim.net.generation++;
      return { stdout: '', stderr: `${CONNTRACK_VERSION}: connection tracking table has been emptied.\n`, exitCode: 0, changed: true };
    }
    case 'L': {
      const shown = entries.filter((e) => ctMatches(e, f));
      return { stdout: shown.map((e) => `${line(e)}\n`).join(''), stderr: `${CONNTRACK_VERSION}: ${shown.length} flow entries have been shown.\n`, exitCode: 0 };
    }
    case 'D': {
      const gone = entries.filter((e) => ctMatches(e, f));
      if (table) for (const e of gone) deleteEntry(table, e.id);
      if (gone.length) ctx.sim.net.generation++;
      return {
        stdout: gone.map((e) => `${line(e)}\n`).join(''),
        stderr: `${CONNTRACK_VERSION}: ${gone.length} flow entries have been deleted.\n`,
        exitCode: gone.length ? 0 : 1,
        ...(gone.length ? { changed: true } : {}),
      };
    }
  }
}

/**
 * `iptables-restore [-n] [-c] [FILE]` / `ip6tables-restore`: loads restore text from stdin (a
 * pipe or here-document) into the namespace's tables of that family, each table at its COMMIT.
 * On an error nothing of the failing table loads and the tool says which line, as iptables-nft does.
 */
function restoreCmd(family: 4 | 6): Command {
  const tool = family === 6 ? 'ip6tables-restore' : 'iptables-restore';
  const V = `${tool} v1.8.9 (nf_tables)`;
  return (ctx, argv) => {
    const ns = targetNs(ctx);
    if (!ns) return noNs(tool);
    let noflush = false; let counters = false;
    for (let i = 1; i < argv.length; i++) {
      const a = argv[i]!;
      if (a === '-n' || a === '--noflush') noflush = true;
      else if (a === '-c' || a === '--counters') counters = true;
      else if (a === '-w' || a === '--wait') { if (/^\d+$/.test(argv[i + 1] ?? '')) i++; }
      else if (a === '-V' || a === '--version') return ok(`${V}\n`);
      else return fail(`${V}: unknown option "${a}"\nTry \`${tool} -h' or '${tool} --help' for more information.\n`, 2);
    }
    const r = iptablesRestore(ns, ctx.stdin ?? '', { noflush, counters, family });
    ctx.sim.net.generation++;
    if (r.ok) return { stdout: '', stderr: '', exitCode: 0, changed: true };
    const why = r.error.replace(/^ip6?tables-restore: /, '');
    return { stdout: '', stderr: `${V}: ${why}\nError occurred at line: ${r.line}\nTry \`${tool} -h' or '${tool} --help' for more information.\n`, exitCode: 1, changed: true };
  };
}

/**
 * An address of the other family in `-s`/`-d` (or a NAT target's): iptables only resolves IPv4
 * names and ip6tables IPv6 ones, so the other family's address is a host it cannot find.
 */
function wrongFamily(argv: readonly string[], family: 4 | 6): CommandResult | null {
  for (let i = 1; i < argv.length - 1; i++) {
    const a = argv[i]!;
    const nat = a === '--to-destination' || a === '--to-source' || a === '--to';
    if (!nat && !['-s', '--source', '--src', '-d', '--destination', '--dst'].includes(a)) continue;
    for (const v of argv[i + 1]!.split(',')) {
      const close = v.indexOf(']');
      const host = v.startsWith('[') ? v.slice(1, close < 0 ? undefined : close) : v.split('/')[0]!;
      if (/^:\d/.test(host)) continue; // a NAT target naming ports only
      const v4 = /^\d{1,3}(\.\d{1,3}){3}/.test(host);
      if (family === 6 ? !v4 : v4 || !host.includes(':')) continue;
      const e = nat ? usageError(`Bad IP address "${v}"`) : usageError(`host/network \`${host}' not found`);
      return fail(e.error, e.code);
    }
  }
  return null;
}

/** iptables: IPv4 addresses only. */
const iptables4: Command = (ctx, argv) => wrongFamily(argv, 4) ?? iptablesCmd(ctx, argv);

/**
 * ip6tables and ip6tables-save: the same tool on the namespace's IPv6 tables (ns.netfilter6),
 * which IPv6 packets traverse. The command runs with those tables swapped in, and speaks as
 * ip6tables (its name in messages, `::/0` for any address).
 */
function ip6(cmd: Command): Command {
  return (ctx, argv) => {
    const ns = targetNs(ctx);
    const bad = cmd === iptablesCmd ? wrongFamily(argv, 6) : null;
    if (bad) return { ...bad, stderr: bad.stderr.replace(/\biptables\b/g, 'ip6tables') };
    if (!ns) return cmd(ctx, argv);
    const r = onTables6(ns, () => cmd(ctx, argv));
    const say = (s: string): string => s.replace(/\biptables(-save)?\b/g, 'ip6tables$1').replace(/--mask 255\.255\.255\.255\b/g, '--mask ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff').replace(/mask: 255\.255\.255\.255\b/g, 'mask: ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff').replace(/0\.0\.0\.0\/0(?=\s|$)/gm, '::/0     ').replace(/icmp-(port|net|host|proto)-unreachable/g, 'icmp6-$1-unreachable');
    return { ...r, stdout: say(r.stdout), stderr: say(r.stderr) };
  };
}

export const iptablesCommands: Record<string, Command> = {
  ip6tables: ip6(iptablesCmd),
  'ip6tables-save': ip6(iptablesSaveCmd),
  'ip6tables-nft-save': ip6(iptablesSaveCmd),
  'iptables-restore': restoreCmd(4),
  'iptables-nft-restore': restoreCmd(4),
  'ip6tables-restore': restoreCmd(6),
  'ip6tables-nft-restore': restoreCmd(6),
  iptables: iptables4,
  'iptables-nft': iptables4,
  'iptables-save': iptablesSaveCmd,
  'iptables-nft-save': iptablesSaveCmd,
  conntrack: conntrackCmd,
};
