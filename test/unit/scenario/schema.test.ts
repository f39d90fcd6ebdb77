import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { knpJsonSchema, knpJsonSchemaText } from '../../../src/engine/scenario/jsonSchema';

describe('JSON Schema of the knp kinds', () => {
  it('schema/knp.schema.json is up to date (run `npm run schema`)', () => {
    expect(readFileSync('schema/knp.schema.json', 'utf8')).toBe(knpJsonSchemaText());
  });

  it('shows the Cluster defaults the engine applies', () => {
    const s = knpJsonSchema() as { $defs: { Cluster: { properties: { spec: { properties: Record<string, { default?: unknown }> } } } } };
    const spec = s.$defs.Cluster.properties.spec.properties;
    expect(spec.podCIDR!.default).toBe('10.244.0.0/16');
    expect(spec.serviceCIDR!.default).toBe('10.96.0.0/12');
    expect(spec.nodePortRange!.default).toBe('30000-32767');
  });
});
