/**
 * `knp share FILE [--base URL] [--commands FILE] [--knp OUT]`: prints a share link (v=1) for a
 * scenario and, optionally, a journal of terminal commands (the text `knp shell` reads:
 * `use TARGET` lines and commands). `--knp OUT` also writes the same content as a `.knp` file.
 *
 * `knp open LINK|FILE.knp [--commands FILE] > scenario.yaml`: the YAML back byte for byte on
 * standard output, the journal written to FILE. A corrupt, truncated or newer link exits 2.
 */
import { decodeFile, decodeLink, encodeFile, encodeLink, formatJournal, MAX_FRAGMENT, parseJournal, type JournalEntry } from '../../engine/index';
import type { Verb } from '../io';
import { parseArgs } from '../args';

/** Where links point when no --base is given: the dev server the README starts. */
export const DEFAULT_BASE = 'http://localhost:5173/';

export const share: Verb = async (argv, io) => {
  const args = parseArgs(argv, ['base', 'commands', 'knp']);
  const [file] = args.positional;
  if (!file) { io.stderr('usage: knp share FILE [--base URL] [--commands FILE] [--knp OUT.knp]\n'); return 2; }
  let yaml: string;
  try { yaml = await io.readFile(file); } catch { io.stderr(`knp share: cannot read ${file}\n`); return 2; }
  let journal: JournalEntry[] = [];
  const cmds = args.values.get('commands');
  if (cmds) {
    let text: string;
    try { text = await io.readFile(cmds); } catch { io.stderr(`knp share: cannot read ${cmds}\n`); return 2; }
    const j = parseJournal(text);
    if (!j.ok) { io.stderr(`${cmds}:${j.line}: ${j.message}\n`); return 2; }
    journal = j.journal;
  }
  const state = { yaml, journal };
  const link = encodeLink(state, args.values.get('base') ?? DEFAULT_BASE);
  const out = args.values.get('knp');
  if (out) await io.writeFile(out, encodeFile(state));
  const fragment = link.length - link.indexOf('#') - 1;
  if (fragment > MAX_FRAGMENT) io.stderr(`knp share: the link is ${fragment} characters, past the ${MAX_FRAGMENT} a browser address bar handles well; consider --knp FILE.knp\n`);
  io.stdout(`${link}\n`);
  return 0;
};

export const open: Verb = async (argv, io) => {
  const args = parseArgs(argv, ['commands']);
  const [link] = args.positional;
  if (!link) { io.stderr('usage: knp open LINK|FILE.knp [--commands FILE] > scenario.yaml\n'); return 2; }
  let decoded;
  if (link.endsWith('.knp') && !link.includes('#')) {
    let text: string;
    try { text = await io.readFile(link); } catch { io.stderr(`knp open: cannot read ${link}\n`); return 2; }
    decoded = decodeFile(text);
  } else {
    decoded = decodeLink(link);
  }
  if (!decoded.ok) { io.stderr(`knp open: ${decoded.code}: ${decoded.message}\n`); return 2; }
  const cmds = args.values.get('commands');
  if (cmds) await io.writeFile(cmds, formatJournal(decoded.state.journal));
  else if (decoded.state.journal.length) io.stderr(`knp open: the link carries ${decoded.state.journal.length} terminal command(s); --commands FILE saves them\n`);
  io.stdout(decoded.state.yaml);
  return 0;
};
