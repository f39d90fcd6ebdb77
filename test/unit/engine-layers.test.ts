/**
 * The engine's layers import downward only (src/engine/README.md). Reads every import line of
 * src/engine (type imports included: a type is a dependency too) and fails on one pointing up.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ENGINE = resolve(__dirname, '../../src/engine');

/** Lowest first; a file may import its own layer and the ones below it. Keep in step with src/engine/README.md. */
export const LAYERS: readonly (readonly string[])[] = [
  ['addr', 'util', 'i18n'],
  ['scenario', 'model'],
  ['net', 'route', 'netfilter', 'conntrack', 'ipvs', 'trace'],
  ['stack', 'sim.ts'],
  ['cni', 'policy'],
  ['control'],
  ['agents'],
  ['clients'],
  ['build'],
  ['shell', 'lab', 'share'],
  ['goals'],
  ['index.ts'],
  ['lessons'],
];

function layerOf(file: string): number {
  const parts = relative(ENGINE, file).split('/');
  const top = parts.length === 1 ? parts[0]!.replace(/(\.ts)?$/, '.ts') : parts[0]!;
  const i = LAYERS.findIndex((l) => l.includes(top));
  if (i < 0) throw new Error(`${relative(ENGINE, file)} is in no layer: add its folder to LAYERS and to src/engine/README.md`);
  return i;
}

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    return e.isDirectory() ? sources(p) : e.name.endsWith('.ts') ? [p] : [];
  });
}

const IMPORT = /(?:\bfrom\s*|\bimport\s*\(?\s*)['"](\.{1,2}\/[^'"]+)['"]/g;

export function upwardImports(files: readonly string[], read: (f: string) => string): string[] {
  const out: string[] = [];
  for (const f of files) {
    for (const m of read(f).matchAll(IMPORT)) {
      const target = resolve(dirname(f), m[1]!);
      if (layerOf(target) > layerOf(f)) out.push(`${relative(ENGINE, f)} → ${relative(ENGINE, target)}`);
    }
  }
  return out;
}

/**
 * Upward imports not yet turned around, to be removed, never added to. Empty: CoreDNS's answer
 * and the stub resolver register on the Sim (sim.dns, sim.resolver) as proxy apps do (sim.apps).
 * The test fails when a listed one goes away too, so the list only shrinks.
 */
const NOT_YET_INVERTED: readonly string[] = [];

describe('engine layers', () => {
  it('every import of src/engine points to the same layer or one below', () => {
    const up = upwardImports(sources(ENGINE), (f) => readFileSync(f, 'utf8'));
    expect(up.filter((e) => !NOT_YET_INVERTED.includes(e))).toEqual([]);
    expect(NOT_YET_INVERTED.filter((e) => !up.includes(e))).toEqual([]);
  });

  it('notices an import that points up', () => {
    const stack = join(ENGINE, 'stack/walker.ts');
    const fake = (): string => "import { reconcile } from '../control/reconcile';\nimport type { Packet } from '../net/packet';\n";
    expect(upwardImports([stack], fake)).toEqual(['stack/walker.ts → control/reconcile']);
  });
});
