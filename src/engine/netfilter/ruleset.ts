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
  /** Pre-rendered blocks: chain lines and rule lines of chains only that writer owns, as pieces of whole lines. */
  readonly blocks: { chains: readonly string[]; rules: readonly string[]; writer: string }[];
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

  /**
   * Chains owned wholly by one writer, already rendered (kube-proxy's restore buffers), each as
   * one text or as pieces of whole lines (kept as they are: see pieces()).
   */
  block(table: TableName, chains: string | readonly string[], rules: string | readonly string[]): this {
    const list = (x: string | readonly string[]): readonly string[] => (typeof x === 'string' ? [x] : x);
    this.table(table).blocks.push({ chains: list(chains), rules: list(rules), writer: this.writer });
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
      for (const b of t.blocks) for (const p of b.chains) { parts.push(p); lines(p, b.writer); }
      for (const c of [...t.policies.keys(), ...t.chains]) {
        for (const r of t.rules.get(c) ?? []) { parts.push(`-A ${c} ${r}\n`); writers.push(t.owners.get(`${c} ${r}`) ?? 'kubelet'); }
      }
      for (const b of t.blocks) for (const p of b.rules) { parts.push(p); lines(p, b.writer); }
      parts.push('COMMIT\n');
      writers.push('iptables-restore');
      out += parts.join('');
    }
    this.lineWriters = writers;
    return out;
  }

  /**
   * The same text as render(), as pieces whose concatenation it is (each whole lines): the
   * blocks' pieces as the writers handed them over (kube-proxy's are the same string objects on
   * every node), the rest rendered per table. Nothing is joined and no writer list is made.
   */
  pieces(): string[] {
    const out: string[] = [];
    for (const name of TABLE_ORDER) {
      const t = this.tables.get(name);
      if (!t) continue;
      let head = `*${name}\n`;
      for (const [c, p] of t.policies) head += `:${c} ${p} [0:0]\n`;
      for (const c of t.chains) head += `:${c} - [0:0]\n`;
      out.push(head);
      for (const b of t.blocks) for (const p of b.chains) if (p) out.push(p);
      let rules = '';
      for (const c of [...t.policies.keys(), ...t.chains]) for (const r of t.rules.get(c) ?? []) rules += `-A ${c} ${r}\n`;
      if (rules) out.push(rules);
      for (const b of t.blocks) for (const p of b.rules) if (p) out.push(p);
      out.push('COMMIT\n');
    }
    return out;
  }

  /** What the writers wrote: the pieces now, the text and each line's writer when first asked for. */
  written(): WrittenRuleset {
    return new Written(this, this.pieces());
  }
}

/** A machine's restore input and, line by line, the daemon that wrote it (for restore errors). */
export interface WrittenRuleset {
  /** Pieces whose concatenation is `text` (see Ruleset.pieces). */
  readonly pieces: readonly string[];
  readonly text: string;
  /** writers[N - 1] wrote line N: kubelet, kube-proxy, flannel, calico, portmap, dockerd or iptables-restore (table framing). */
  readonly writers: readonly string[];
}

/** Renders the text and its writers only when something reads them (a restore failure, a test). */
class Written implements WrittenRuleset {
  private rendered?: { readonly text: string; readonly writers: readonly string[] };
  constructor(private readonly rs: Ruleset, readonly pieces: readonly string[]) {}
  private render(): { readonly text: string; readonly writers: readonly string[] } {
    if (!this.rendered) {
      const text = this.rs.render();
      this.rendered = { text, writers: this.rs.lineWriters };
    }
    return this.rendered;
  }

  get text(): string {
    return this.render().text;
  }

  get writers(): readonly string[] {
    return this.render().writers;
  }
}
