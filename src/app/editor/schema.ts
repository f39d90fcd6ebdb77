/**
 * The one JSON Schema the editor completes, documents and validates a scenario against:
 *
 *   schema/k8s/kubernetes.schema.json   the Kubernetes kinds the engine accepts, generated from
 *                                       upstream's types (npm run schema:k8s)
 *   schema/knp.schema.json              our kinds (Cluster, Probe, Host, Container), generated
 *                                       from the engine's zod types (npm run schema)
 *   explain.ts                          our explanations, in the UI language
 *   snippets.ts                         whole documents to start from
 *
 * Every document of the multi-document YAML is matched by `if {apiVersion, kind} then {$ref}`,
 * so a Service is checked as a Service and a Cluster as a Cluster. This module is imported only
 * by monaco.ts, so the schemas load with Monaco, never before first paint.
 */
import k8s from '../../../schema/k8s/kubernetes.schema.json';
import knp from '../../../schema/knp.schema.json';
import { explainSchema, type ExplainLang } from './explain';
import { defaultSnippets } from './snippets';

type Schema = Record<string, unknown>;

interface KindRule { if: { properties: { apiVersion: { const: string }; kind: { const: string } } }; then: { $ref: string } }

/** Our kinds' definitions as `knp.<Kind>`, each dispatched on its apiVersion and kind. */
function knpParts(): { definitions: Record<string, Schema>; rules: Schema[] } {
  const defs = (knp as unknown as { $defs: Record<string, Schema> }).$defs;
  const definitions: Record<string, Schema> = {};
  const rules: Schema[] = [];
  for (const [kind, def] of Object.entries(defs)) {
    const props = (def.properties ?? {}) as Record<string, Schema>;
    const apiVersion = props.apiVersion?.const;
    if (typeof apiVersion !== 'string') continue;
    definitions[`knp.${kind}`] = def;
    rules.push({
      if: { properties: { apiVersion: { const: apiVersion }, kind: { const: kind } }, required: ['apiVersion', 'kind'] },
      then: { $ref: `#/definitions/knp.${kind}` },
    });
  }
  return { definitions, rules };
}

/** One rule per accepted apiVersion/kind: upstream's kinds, then ours. */
function kindRules(): KindRule[] {
  return [...(k8s.allOf as KindRule[]), ...(knpParts().rules as unknown as KindRule[])];
}

/** The apiVersion/kind pairs the schema knows. */
export function knownKinds(): { apiVersion: string; kind: string }[] {
  return kindRules().map((r) => ({ apiVersion: r.if.properties.apiVersion.const, kind: r.if.properties.kind.const }));
}

/**
 * A document that names its kind before its apiVersion (as people often type it) is completed
 * and checked as that kind's first, current apiVersion; the engine still asks for the apiVersion.
 */
function kindOnlyRules(rules: readonly KindRule[]): Schema[] {
  const first = new Map<string, string>();
  for (const r of rules) if (!first.has(r.if.properties.kind.const)) first.set(r.if.properties.kind.const, r.then.$ref);
  return [...first].map(([kind, $ref]) => ({
    if: { properties: { kind: { const: kind } }, required: ['kind'], not: { required: ['apiVersion'] } },
    then: { $ref },
  }));
}

/** `kind: List` (what `kubectl get -o yaml` prints): the loader expands its items. */
const LIST: Schema = {
  if: { properties: { apiVersion: { const: 'v1' }, kind: { const: 'List' } }, required: ['apiVersion', 'kind'] },
  then: { properties: { items: { type: 'array', items: { type: 'object' } } } },
};

const uniq = (xs: string[]) => [...new Set(xs)];

export function scenarioSchema(lang: ExplainLang = 'en'): Schema {
  const rules = kindRules();
  const kinds = knownKinds();
  const root: Schema = {
    $schema: 'http://json-schema.org/draft-07/schema#',
    type: 'object',
    defaultSnippets: defaultSnippets(lang),
    // Offered while a document has no kind yet; once it has one, its own type takes over.
    properties: {
      apiVersion: { type: 'string', enum: uniq(kinds.map((k) => k.apiVersion)) },
      kind: { type: 'string', enum: uniq([...kinds.map((k) => k.kind), 'List']) },
    },
    allOf: [...(rules as unknown as Schema[]), LIST, ...kindOnlyRules(rules)],
    definitions: { ...(k8s.definitions as Record<string, Schema>), ...knpParts().definitions },
  };
  return explainSchema(root, lang);
}
