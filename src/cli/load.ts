/** Reads a scenario file and builds the simulation, reporting unreadable files like a CLI should. */
import { buildSim, type BuildResult } from '../engine/index';
import { parseArgs, seedOf, type ParsedArgs } from './args';
import type { CliIO } from './io';

export async function loadScenarioFile(io: CliIO, file: string, args: ParsedArgs): Promise<BuildResult | number> {
  const seed = seedOf(args);
  if (typeof seed === 'string') { io.stderr(`${seed}\n`); return 2; }
  let text: string;
  try {
    text = await io.readFile(file);
  } catch (e) {
    io.stderr(`knp: cannot read ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}\n`);
    return 2;
  }
  return buildSim(text, { file, seed });
}

export { parseArgs };
