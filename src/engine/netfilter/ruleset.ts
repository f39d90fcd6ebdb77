/**
 * A node's iptables state as its writers leave it, assembled in memory and printed as one
 * iptables-restore text. Each writer (kubelet, the CNI plugins, kube-proxy, dockerd) acts
 * in the order it starts on a real node: `iptables -N`, `-A`, `-I` (prepend) or a restore
 * block of its own chains, so the final order inside each built-in chain is the one a real
 * node ends up with.
 */

export type TableName = 'raw' | 'mangle' | 'nat' | 'filter';

const BUILTIN: Record<TableName, readonly string[]> = {
  raw: ['PREROUTING', 'OUTPUT'],
  mangle: ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'],
  nat: ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'],
  filter: ['INPUT', 'FORWARD', 'OUTPUT'],
};

/** Order tables are printed in (iptables-save's order on a current nft-backed node). */
const TABLE_ORDER: readonly TableName[] = ['raw', 'mangle', 'filter', 'nat'];

interface Table {
  readonly policies: Map<string, string>;
  /** User chains in creation order. */
  readonly chains: string[];
  readonly rules: Map<string, string[]>;
  /** Pre-rendered blocks: chain lines and rule lines of chains only that writer owns. */
  readonly blocks: { chains: string; rules: string; writer: string }[];
  /** Who declared each user chain and who wrote each rule ("CHAIN args"). */
  readonly owners: Map<string, string>;
}

export class Ruleset {
  private readonly tables = new Map<TableName, Table>();
  private writer = 'kubelet';
  /** The writer of each line of the last render() (1-based line N is index N-1). */
  lineWriters: string[] = [];

  /** The writer whose lines follow (kubelet, kube-proxy, flannel, calico, portmap, dockerd). */
  as(writer: string): this {
    this.writer = writer;
    return this;
  }

  private table(name: TableName): Table {
    let t = this.tables.get(name);
    if (!t) {
      t = { policies: new Map(BUILTIN[name].map((c) => [c, 'ACCEPT'])), chains: [], rules: new Map(), blocks: [], owners: new Map() };
      this.tables.set(name, t);
    }
    return t;
  }

  /** Makes the table appear in the output even with no rules (a module that is loaded). */
  touch(table: TableName): this {
    this.table(table);
    return this;
  }

  /** `iptables -t T -N CHAIN` (idempotent, like EnsureChain). */
  chain(table: TableName, chain: string): this {
    const t = this.table(table);
    if (!t.policies.has(chain) && !t.rules.has(chain)) {
      t.chains.push(chain);
      t.rules.set(chain, []);
      t.owners.set(chain, this.writer);
    }
    return this;
  }

  policy(table: TableName, chain: string, policy: 'ACCEPT' | 'DROP'): this {
    this.table(table).policies.set(chain, policy);
    return this;
  }

  private list(table: TableName, chain: string): string[] {
    const t = this.table(table);
    let l = t.rules.get(chain);
    if (!l) {
      if (!t.policies.has(chain)) { t.chains.push(chain); t.owners.set(chain, this.writer); }
      l = [];
      t.rules.set(chain, l);
    }
    return l;
  }

  /** `iptables -t T -A CHAIN args` (skipped when already present, like AppendUnique). */
  append(table: TableName, chain: string, args: string): this {
    const l = this.list(table, chain);
    if (!l.includes(args)) { l.push(args); this.table(table).owners.set(`${chain} ${args}`, this.writer); }
    return this;
  }

  /** `iptables -t T -I CHAIN 1 args` (skipped when already present, like EnsureRule Prepend). */
  prepend(table: TableName, chain: string, args: string): this {
    const l = this.list(table, chain);
    if (!l.includes(args)) { l.unshift(args); this.table(table).owners.set(`${chain} ${args}`, this.writer); }
    return this;
  }

  /** Chains owned wholly by one writer, already rendered (kube-proxy's restore buffers). */
  block(table: TableName, chains: string, rules: string): this {
    this.table(table).blocks.push({ chains, rules, writer: this.writer });
    return this;
  }

  has(table: TableName, chain: string): boolean {
    const t = this.tables.get(table);
    return !!t && (t.policies.has(chain) || t.rules.has(chain));
  }

  /** The whole state as iptables-restore input (what `iptables-save` would print, minus counters). */
  render(): string {
    let out = '';
    const writers: string[] = [];
    const lines = (text: string, writer: string): void => {
      let n = 0;
      for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
      for (let i = 0; i < n; i++) writers.push(writer);
    };
    for (const name of TABLE_ORDER) {
      const t = this.tables.get(name);
      if (!t) continue;
      const parts: string[] = [`*${name}\n`];
      writers.push('iptables-restore');
      for (const [c, p] of t.policies) { parts.push(`:${c} ${p} [0:0]\n`); writers.push('iptables-restore'); }
      for (const c of t.chains) { parts.push(`:${c} - [0:0]\n`); writers.push(t.owners.get(c) ?? 'kubelet'); }
      for (const b of t.blocks) { parts.push(b.chains); lines(b.chains, b.writer); }
      for (const c of [...t.policies.keys(), ...t.chains]) {
        for (const r of t.rules.get(c) ?? []) { parts.push(`-A ${c} ${r}\n`); writers.push(t.owners.get(`${c} ${r}`) ?? 'kubelet'); }
      }
      for (const b of t.blocks) { parts.push(b.rules); lines(b.rules, b.writer); }
      parts.push('COMMIT\n');
      writers.push('iptables-restore');
      out += parts.join('');
    }
    this.lineWriters = writers;
    return out;
  }
}
