/**
 * The `knp` command: check, exec, shell, trace... on the same engine the browser runs.
 * (Skeleton: the CLI work fills in the verbs.)
 */
export interface CliIO {
  stdout(s: string): void;
  stderr(s: string): void;
  readFile(path: string): Promise<string>;
  writeFile(path: string, data: string | Uint8Array): Promise<void>;
  stdin: NodeJS.ReadableStream;
}

export async function main(argv: string[], io: CliIO): Promise<number> {
  io.stderr(`knp: not implemented yet: ${argv.join(' ')}\n`);
  return 2;
}
