/** Runs `knp` in-process with files and stdin given as strings: the CLI's test harness. */
import { readFile, readdir } from 'node:fs/promises';
import { main } from '../../src/cli/main';

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly written: Map<string, string | Uint8Array>;
}

export async function runKnp(argv: string[], opts: { files?: Record<string, string>; stdin?: string; env?: Record<string, string> } = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const written = new Map<string, string | Uint8Array>();
  const code = await main(argv, {
    stdout: (s) => { stdout += s; },
    stderr: (s) => { stderr += s; },
    readFile: async (p) => {
      const f = opts.files?.[p];
      if (f !== undefined) return f;
      return readFile(p, 'utf8');
    },
    writeFile: async (p, d) => { written.set(p, d); },
    env: opts.env ?? {},
    listDir: (p) => readdir(p),
    readLines: () => (opts.stdin === undefined ? null : (async function* () { for (const l of opts.stdin!.split('\n')) yield l; })()),
  });
  return { code, stdout, stderr, written };
}
