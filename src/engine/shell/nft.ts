/**
 * `nft` in the simulated terminal: the listing commands of nftables 1.0 over the namespace's
 * nf_tables state (src/engine/netfilter/nft) — the same rules the packet walk runs.
 *
 *   nft list ruleset | nft list tables | nft list table [ip] NAME | nft list chain [ip] TABLE CHAIN
 *   nft list set|map [ip] TABLE NAME | nft flush ruleset | nft delete table [ip] NAME | nft --version
 */
import { nsForTarget } from '../net/lookup';
import { chainText, rulesetText, tableText, type NftTable } from '../netfilter/nft/ruleset';
import { fail, ok, type Command, type CommandResult, type ShellContext } from './types';

export const NFT_VERSION = 'nftables v1.0.6 (Lester Gooch #5)';

const FAMILIES = new Set(['ip', 'ip6', 'inet', 'arp', 'bridge', 'netdev']);

const usageErr = (args: readonly string[]): CommandResult => fail(`Error: syntax error, unexpected end of file\n${args.join(' ')}\n`, 1);

function noSuch(args: readonly string[]): CommandResult {
  const line = args.join(' ');
  return fail(`Error: No such file or directory\n${line}\n${' '.repeat(line.length - (args[args.length - 1]?.length ?? 0))}${'^'.repeat(args[args.length - 1]?.length ?? 1)}\n`, 1);
}

/** `[family] name`: the family defaults to ip, as nft's does. */
function familyAndName(rest: readonly string[]): { family: string; name: string | undefined; tail: readonly string[] } {
  if (rest[0] && FAMILIES.has(rest[0])) return { family: rest[0], name: rest[1], tail: rest.slice(2) };
  return { family: 'ip', name: rest[0], tail: rest.slice(1) };
}

const nftCmd: Command = (ctx: ShellContext, argv: readonly string[]) => {
  const args = argv.slice(1).filter((a) => a !== '-n' && a !== '-a' && a !== '-s' && a !== '--stateless');
  if (args[0] === '-v' || args[0] === '--version') return ok(`${NFT_VERSION}\n`);
  const ns = nsForTarget(ctx.sim, ctx.target);
  if (!ns) return fail('nft: not available on the workstation; run it in a node, pod or host (knp exec node/NAME nft ...)\n', 127);
  const st = ns.nft;
  const tables: NftTable[] = st ? st.tables : [];
  const [verb, what, ...rest] = args;
  if (!verb) return usageErr(args);
  if (verb === 'list') {
    if (what === 'ruleset') return ok(st ? rulesetText(st, ctx.sim.now) : '');
    if (what === 'tables') return ok(tables.map((t) => `table ${t.family} ${t.name}\n`).join(''));
    const { family, name, tail } = familyAndName(rest);
    if (!name) return usageErr(args);
    const t = tables.find((x) => x.family === family && x.name === name);
    if (!t) return noSuch(argv.slice(1));
    if (what === 'table') return ok(tableText(t, ctx.sim.now));
    if (what === 'chain') {
      const c = tail[0] ? t.chains.get(tail[0]) : undefined;
      if (!c) return tail[0] ? noSuch(argv.slice(1)) : usageErr(args);
      return ok(`table ${t.family} ${t.name} {\n${chainText(c)}\n}\n`);
    }
    if (what === 'set' || what === 'map') {
      const s = tail[0] ? t.sets.get(tail[0]) : undefined;
      if (!s || s.map !== (what === 'map')) return tail[0] ? noSuch(argv.slice(1)) : usageErr(args);
      const only: NftTable = { family: t.family, name: t.name, chains: new Map(), sets: new Map([[s.name, s]]) };
      return ok(tableText(only, ctx.sim.now));
    }
    return fail(`Error: syntax error, unexpected ${what ?? 'end of file'}\n`, 1);
  }
  if (verb === 'flush' && what === 'ruleset') {
    if (st) st.tables = [];
    ctx.sim.net.generation++;
    return ok('', true);
  }
  if (verb === 'delete' && what === 'table') {
    const { family, name } = familyAndName(rest);
    const t = tables.find((x) => x.family === family && x.name === name);
    if (!st || !t) return noSuch(argv.slice(1));
    st.tables = st.tables.filter((x) => x !== t);
    ctx.sim.net.generation++;
    return ok('', true);
  }
  return fail(`Error: syntax error, unexpected ${verb}\n`, 1);
};

export const nftCommands: Record<string, Command> = { nft: nftCmd };
