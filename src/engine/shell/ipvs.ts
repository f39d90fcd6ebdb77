/**
 * `ipvsadm` and `ipset`: read the IPVS table and the ipsets of the namespace a command runs in
 * (kube-proxy IPVS mode fills them; elsewhere they are empty, as on a node with the modules
 * loaded and nothing configured).
 */
import { formatIpvsadmList } from '../ipvs/ipvsadm';
import type { IpvsState } from '../ipvs/ipvs';
import { formatIpsetList, formatIpsetSave, ipsetAdd, ipsetDel, ipsetGet, ipsetList, ipsetReferences } from '../netfilter/ipset';
import { nsForTarget } from '../net/lookup';
import { fail, ok, type Command } from './types';

const ipvsadm: Command = (ctx, argv) => {
  const ns = nsForTarget(ctx.sim, ctx.target);
  if (!ns) return fail("Can't initialize ipvs: Protocol not available\nAre you sure that IP Virtual Server is built in the kernel or as module?\n", 1);
  let list = argv.length === 1;
  let stats = false;
  let only: string | undefined;
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '-L' || a === '-l' || a === '--list') list = true;
    else if (a === '-n' || a === '--numeric') continue;
    else if (/^-[Lln]+$/.test(a)) list = true;
    else if (a === '--stats') stats = true;
    else if (a === '-t' || a === '-u' || a === '--tcp-service' || a === '--udp-service') {
      const v = argv[++i];
      const m = v ? /^(\d+\.\d+\.\d+\.\d+):(\d+)$/.exec(v) : null;
      if (!m) return fail(`Illegal virtual server address[:port] specified\n`, 2);
      only = `${a === '-u' || a === '--udp-service' ? 'UDP' : 'TCP'}|${m[1]}|${m[2]}`;
    } else {
      return fail(`ipvsadm: invalid option -- '${a.replace(/^-+/, '')}'\nTry \`ipvsadm -h' or 'ipvsadm --help' for more information.\n`, 2);
    }
  }
  if (!list) return fail('ipvsadm: only listing (-L) is simulated\n', 2);
  const state = ns.ipvs as IpvsState | undefined;
  if (only && !state?.services.has(only)) return fail('No such service\n', 1);
  return ok(formatIpvsadmList(state, { stats, ...(only ? { only } : {}) }));
};

const ipset: Command = (ctx, argv) => {
  const ns = nsForTarget(ctx.sim, ctx.target);
  const sub = argv[1];
  if (sub === 'add' || sub === '-A' || sub === 'del' || sub === '-D') {
    // ipset add|del SET ENTRY: what a learner uses to mend (or break) kube-proxy's sets.
    const [name, entry] = [argv[2], argv[3]];
    if (!ns || !name || !entry) return fail(`ipset v7.15: Syntax error: ${sub} needs SETNAME and ENTRY\n`, 1);
    const set = ipsetGet(ns, name);
    if (!set) return fail('ipset v7.15: The set with the given name does not exist\n', 1);
    const before = set.members.size;
    if (sub === 'add' || sub === '-A') {
      ipsetAdd(ns, name, entry);
      if (set.members.size === before && !argv.includes('-exist')) return fail('ipset v7.15: Element cannot be added to the set: it\'s already added\n', 1);
    } else if (!ipsetDel(ns, name, entry) && !argv.includes('-exist')) {
      return fail('ipset v7.15: Element cannot be deleted from the set: it\'s not added\n', 1);
    }
    return { stdout: '', stderr: '', exitCode: 0, changed: true };
  }
  if (sub !== 'list' && sub !== '-L' && sub !== '-l' && sub !== 'save' && sub !== '-S') {
    return fail(sub === undefined ? 'ipset v7.15: No command specified: unknown argument -file\nTry `ipset help\' for more information.\n' : `ipset v7.15: No command specified: unknown argument ${sub}\nTry \`ipset help' for more information.\n`, 1);
  }
  const names = argv.slice(2).filter((a) => !a.startsWith('-'));
  // One store per namespace: kube-proxy's and calico's sets and any a learner created.
  const all = ns ? ipsetList(ns) : [];
  const chosen = names.length ? all.filter((s) => names.includes(s.name)) : all;
  if (names.length && chosen.length === 0) return fail(`ipset v7.15: The set with the given name does not exist\n`, 1);
  if (sub === 'save' || sub === '-S') return ok(formatIpsetSave(chosen));
  return ok(chosen.length ? formatIpsetList(chosen, (name) => ipsetReferences(ns!, name)) : '');
};

/**
 * `nfacct list [reset]` / `nfacct get NAME`: the extended accounting objects (nfnetlink_acct)
 * kube-proxy counts INVALID drops and localhost NodePort connections in, printed as the nfacct
 * tool prints them.
 */
const nfacct: Command = (ctx, argv) => {
  const ns = nsForTarget(ctx.sim, ctx.target);
  const all = ns?.netfilter?.nfacct ?? new Map<string, { pkts: number; bytes: number }>();
  const line = (name: string, o: { pkts: number; bytes: number }): string => `{ pkts = ${String(o.pkts).padStart(20, '0')}, bytes = ${String(o.bytes).padStart(20, '0')} } = ${name};\n`;
  const sub = argv[1];
  if (sub === 'list') {
    const out = [...all].map(([n, o]) => line(n, o)).join('');
    if (argv[2] === 'reset') for (const o of all.values()) { o.pkts = 0; o.bytes = 0; }
    return ok(out);
  }
  if (sub === 'get') {
    const o = argv[2] !== undefined ? all.get(argv[2]) : undefined;
    return o ? ok(line(argv[2]!, o)) : fail('nfacct v1.0.2: error: No such file or directory\n', 1);
  }
  return fail(`nfacct v1.0.2: ${sub === undefined ? 'missing command' : `unknown command: ${sub}`}\nusage: nfacct list [reset] | nfacct get NAME (adding and deleting objects is not simulated)\n`, 1);
};

export const ipvsCommands: Record<string, Command> = { ipvsadm, ipset, nfacct };
