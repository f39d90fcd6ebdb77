import { describe, expect, it } from 'vitest';
import { podTemplateHash, safeEncode, stableJson, uidFor } from '../../../src/engine/control/names';
import { hashString } from '../../../src/engine/util/rand';

describe('controller names', () => {
  it('hashes a Pod template as FNV-1a of its sorted-key JSON, whatever the keys and strings hold', () => {
    const templates: unknown[] = [
      {},
      { metadata: { labels: { app: 'web', tier: 'front' } }, spec: { containers: [{ name: 'c', image: 'nginx', ports: [{ containerPort: 80 }] }] } },
      { spec: { containers: [{ name: 'c', command: ['sh', '-c', 'echo "hi" \\ there\n'], env: [{ name: 'X', value: undefined }] }], nodeSelector: { 'kubernetes.io/os': 'linux' } } },
      { b: [1, 2.5, -0, null, undefined, true, 'snowman ☃', 'pair 😀', 'lone \ud800'], a: { z: {}, Z: [], '"q"': 'x', '\u0001': 1 } },
    ];
    for (const t of templates) expect(podTemplateHash(t)).toBe(safeEncode(String(hashString(stableJson(t)))));
    expect(stableJson({ b: 1, a: [undefined, { d: undefined, c: 'x' }] })).toBe('{"a":[null,{"c":"x"}],"b":1}');
    // The keys' order in the YAML does not matter.
    expect(podTemplateHash({ spec: { b: 1, a: 2 } })).toBe(podTemplateHash({ spec: { a: 2, b: 1 } }));
  });

  it('derives UIDs from what the object is', () => {
    expect(uidFor('Service/default/kubernetes')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const hex = (n: number) => n.toString(16).padStart(8, '0');
    const seed = 'Pod/team-1/app-7-bcdfg-x2k9p';
    const [a, b, c, d] = [0x811c9dc5, 0x1234567, 0x89abcdef, 0x5bd1e995].map((base) => hex(hashString(seed, base)));
    expect(uidFor(seed)).toBe(`${a}-${b!.slice(0, 4)}-4${b!.slice(5, 8)}-${(8 + (parseInt(c![0]!, 16) & 3)).toString(16)}${c!.slice(1, 4)}-${c!.slice(4, 8)}${d}`);
  });
});
