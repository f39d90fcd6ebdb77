/** What a verb may touch of the outside world: injected, so tests run verbs in-process. */
export interface CliIO {
  stdout(s: string): void;
  stderr(s: string): void;
  readFile(path: string): Promise<string>;
  /** Names in a directory (for `knp lessons`); absent where there is no file system. */
  listDir?(path: string): Promise<string[]>;
  writeFile(path: string, data: string | Uint8Array): Promise<void>;
  /** Lines of standard input (for `knp shell`); null when there is none. */
  readLines(): AsyncIterable<string> | null;
  /** The environment (LANG, LC_ALL, LC_MESSAGES choose the language of `--story`); absent = empty. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

export type Verb = (argv: string[], io: CliIO) => Promise<number>;
