/**
 * The JSON Schema of our own kinds (apiVersion knp/v1alpha1), generated from the zod schemas
 * the loader validates with, so the editor's completion and the engine never disagree.
 * `npm run schema` writes it to schema/knp.schema.json; a test checks the file is current.
 */
import { z } from 'zod';
import * as knp from './schema/knp';
import { challenge } from './schema/challenge';

const KINDS = { Cluster: knp.cluster, Probe: knp.probe, Host: knp.host, Container: knp.container, Challenge: challenge } as const;

export function knpJsonSchema(): Record<string, unknown> {
  const defs: Record<string, unknown> = {};
  for (const [kind, schema] of Object.entries(KINDS)) {
    const s = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
    delete s.$schema;
    const props = (s.properties ?? {}) as Record<string, Record<string, unknown>>;
    props.kind = { type: 'string', const: kind };
    s.title = `${knp.KNP_API_VERSION} ${kind}`;
    defs[kind] = s;
  }
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'https://knp.invalid/schema/knp.schema.json',
    title: 'Kube Network Playground scenario kinds (knp/v1alpha1)',
    description: 'One YAML document of kind Cluster, Probe, Host, Container or Challenge. Kubernetes kinds (Pod, Service, ...) follow the Kubernetes API.',
    oneOf: Object.keys(KINDS).map((k) => ({ $ref: `#/$defs/${k}` })),
    $defs: defs,
  };
}

export function knpJsonSchemaText(): string {
  return `${JSON.stringify(knpJsonSchema(), null, 2)}\n`;
}
