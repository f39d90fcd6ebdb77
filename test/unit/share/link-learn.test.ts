/**
 * Share links v=1 with the optional `learn` field: a lesson at its step with its progress, a
 * challenge with its seed, variables and hints round-trip; links without it (made before it)
 * still open; a malformed one is refused like any other invalid link.
 */
import { describe, expect, it } from 'vitest';
import { decodeFile, decodeLink, encodeFile, encodeFragment, type SharedState } from '../../../src/engine';

const YAML = 'apiVersion: knp/v1alpha1\nkind: Cluster\nmetadata: {name: c}\nspec: {}\n';

describe('links carry the lesson or challenge', () => {
  it('a lesson at step 2 with two steps done round-trips through a link and a .knp file', () => {
    const state: SharedState = { yaml: YAML, journal: [{ target: 'node/node-1', line: 'ip route' }], learn: { kind: 'lesson', id: '10-clusterip-iptables', step: 2, done: ['look', 'trace'] } };
    expect(decodeLink(`https://x.test/#${encodeFragment(state)}`)).toEqual({ ok: true, state });
    expect(decodeFile(encodeFile(state))).toEqual({ ok: true, state });
  });

  it('a challenge with its seed, variables (in a fixed order) and hints round-trips; same state, same link', () => {
    const a: SharedState = { yaml: YAML, journal: [], learn: { kind: 'challenge', name: 'nodeport-range', seed: 7, variables: { PORT: '30080', NODE: 'node-2' }, hints: 1 } };
    const b: SharedState = { yaml: YAML, journal: [], learn: { kind: 'challenge', name: 'nodeport-range', seed: 7, variables: { NODE: 'node-2', PORT: '30080' }, hints: 1 } };
    expect(encodeFragment(a)).toBe(encodeFragment(b));
    const d = decodeLink(encodeFragment(a));
    expect(d.ok && d.state.learn).toEqual({ kind: 'challenge', name: 'nodeport-range', seed: 7, variables: { NODE: 'node-2', PORT: '30080' }, hints: 1 });
  });

  it('an old link without learn still opens, with no learn', () => {
    const d = decodeLink(encodeFragment({ yaml: YAML, journal: [] }));
    expect(d.ok && d.state.learn).toBeUndefined();
  });

  it('a learn field that does not fit is invalid, and nothing is opened', () => {
    const bad = encodeFile({ yaml: YAML, journal: [] }).replace('"journal": []', '"journal": [], "learn": {"kind": "lesson", "id": "x", "step": -1, "done": []}');
    const d = decodeFile(bad);
    expect(d.ok).toBe(false);
    expect(!d.ok && d.code).toBe('invalid');
    expect(!d.ok && d.message).toMatch(/learn/);
  });
});
