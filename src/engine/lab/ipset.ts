/**
 * The ipsets of a namespace as `ipset restore` reads them, for rules that say `-m set
 * --match-set NAME`, from the namespace's one ipset store (src/engine/netfilter/ipset.ts), whose
 * members are kept in the text `ipset list` prints.
 *
 * A rule may name a set the simulator never made: the simulator then matches nothing, so the lab
 * creates the set empty, which the kernel also matches nothing against (and says so in a note).
 */
import type { NetNs } from '../net/types';
import { ipsetList } from '../netfilter/ipset';

interface SetLike {
  readonly type: string;
  readonly members: ReadonlySet<string>;
  readonly options?: Readonly<Record<string, string>>;
}

function setsOf(ns: NetNs): Map<string, SetLike> {
  return new Map(ipsetList(ns).map((s) => [s.name, s]));
}

/** The set type a missing set needs for `--match-set NAME FLAGS` (one flag: addresses and nets). */
function typeFor(flags: string): string {
  const n = flags.split(',').length;
  return n === 1 ? 'hash:net' : n === 2 ? 'hash:ip,port' : 'hash:ip,port,ip';
}

export interface IpsetExport {
  /** `ipset restore` input, or null when the namespace uses no sets. */
  readonly text: string | null;
  readonly notes: readonly string[];
}

export function ipsetRestoreText(ns: NetNs, rules: string | null): IpsetExport {
  const sets = setsOf(ns);
  const notes: string[] = [];
  const lines: string[] = [];
  for (const m of (rules ?? '').matchAll(/--match-set\s+(\S+)\s+(\S+)/g)) {
    const [, name, flags] = m as unknown as [string, string, string];
    if (sets.has(name)) continue;
    sets.set(name, { type: typeFor(flags), members: new Set() });
    notes.push(`${ns.id}: the rules match set ${name}, which the simulator does not have; created empty (no packet matches it, as in the simulator)`);
  }
  for (const [name, s] of [...sets.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const opts: string[] = [];
    if (s.type.startsWith('hash:')) opts.push('family inet');
    if (s.type === 'bitmap:port') opts.push(`range ${s.options?.range ?? '0-65535'}`);
    lines.push(`create ${name} ${s.type}${opts.length ? ` ${opts.join(' ')}` : ''}`);
    for (const member of [...s.members].sort()) lines.push(`add ${name} ${member}`);
  }
  return { text: lines.length ? `${lines.join('\n')}\n` : null, notes };
}
