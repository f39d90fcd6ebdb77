/** Small argv helpers shared by the verbs: flags with values, boolean flags, the `--` split. */
export interface ParsedArgs {
  /** Words that are not flags, in order. */
  readonly positional: string[];
  /** --name VALUE or --name=VALUE. */
  readonly values: Map<string, string>;
  /** --flag without a value. */
  readonly flags: Set<string>;
  /** Everything after a bare `--`, or null. */
  readonly rest: string[] | null;
}

/** `valued` lists the flags that take a value (e.g. "seed", "from"). */
export function parseArgs(argv: readonly string[], valued: readonly string[]): ParsedArgs {
  const positional: string[] = [];
  const values = new Map<string, string>();
  const flags = new Set<string>();
  let rest: string[] | null = null;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') { rest = argv.slice(i + 1); break; }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq < 0 ? a.slice(2) : a.slice(2, eq);
      if (eq >= 0) values.set(name, a.slice(eq + 1));
      else if (valued.includes(name) && i + 1 < argv.length) values.set(name, argv[++i]!);
      else flags.add(name);
      continue;
    }
    positional.push(a);
  }
  return { positional, values, flags, rest };
}

export function seedOf(args: ParsedArgs): number | string {
  const s = args.values.get('seed');
  if (s === undefined) return 1;
  const n = Number(s);
  return Number.isInteger(n) && n >= 0 ? n : `knp: --seed must be a non-negative integer, not "${s}"`;
}
