/**
 * Writes schema/k8s/kubernetes.schema.json: a JSON Schema (draft-07) for exactly the Kubernetes
 * kinds the scenario loader accepts (src/engine/scenario/load.ts), read with the TypeScript
 * compiler API from the `kubernetes-types` declarations, which are generated from the upstream
 * OpenAPI spec and carry upstream's field descriptions as JSDoc. `npm run schema:k8s`.
 *
 * Shape of the output:
 *   definitions   one entry per upstream type reachable from those kinds ("core.v1.ServicePort"),
 *                 shared through $ref; objects are closed (additionalProperties: false) so a
 *                 typo such as `targetPrt` is flagged, as the API server's strict field
 *                 validation would.
 *   allOf         one `if {apiVersion, kind} then {$ref}` per accepted apiVersion/kind, so in a
 *                 multi-document file every document is checked against its own kind.
 * Our own explanations are layered on at runtime by src/app/editor/explain.ts (per UI language);
 * this file holds only upstream's words. A test checks it is current (test/editor-schema.test.ts).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';

type Schema = Record<string, unknown>;

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const TYPES = join(ROOT, 'node_modules/kubernetes-types');
export const K8S_SCHEMA_FILE = 'schema/k8s/kubernetes.schema.json';

/**
 * The kinds src/engine/scenario/load.ts accepts, by the type that describes them. Old
 * apiVersions the loader converts share the current type, except Ingress v1beta1 whose
 * backends have another shape (serviceName/servicePort): it gets a derived definition.
 * test/editor-schema.test.ts feeds each pair to the loader to keep this list honest.
 */
export const KINDS: readonly { kind: string; apiVersions: readonly string[]; type: string }[] = [
  { kind: 'Namespace', apiVersions: ['v1'], type: 'core.v1.Namespace' },
  { kind: 'Pod', apiVersions: ['v1'], type: 'core.v1.Pod' },
  { kind: 'Service', apiVersions: ['v1'], type: 'core.v1.Service' },
  { kind: 'Endpoints', apiVersions: ['v1'], type: 'core.v1.Endpoints' },
  { kind: 'ConfigMap', apiVersions: ['v1'], type: 'core.v1.ConfigMap' },
  { kind: 'Secret', apiVersions: ['v1'], type: 'core.v1.Secret' },
  { kind: 'Deployment', apiVersions: ['apps/v1', 'apps/v1beta2', 'apps/v1beta1', 'extensions/v1beta1'], type: 'apps.v1.Deployment' },
  { kind: 'ReplicaSet', apiVersions: ['apps/v1'], type: 'apps.v1.ReplicaSet' },
  { kind: 'StatefulSet', apiVersions: ['apps/v1'], type: 'apps.v1.StatefulSet' },
  { kind: 'DaemonSet', apiVersions: ['apps/v1', 'extensions/v1beta1'], type: 'apps.v1.DaemonSet' },
  { kind: 'EndpointSlice', apiVersions: ['discovery.k8s.io/v1'], type: 'discovery.v1.EndpointSlice' },
  { kind: 'Ingress', apiVersions: ['networking.k8s.io/v1'], type: 'networking.v1.Ingress' },
  { kind: 'Ingress', apiVersions: ['networking.k8s.io/v1beta1', 'extensions/v1beta1'], type: 'networking.v1beta1.Ingress' },
  { kind: 'IngressClass', apiVersions: ['networking.k8s.io/v1'], type: 'networking.v1.IngressClass' },
  { kind: 'NetworkPolicy', apiVersions: ['networking.k8s.io/v1', 'extensions/v1beta1'], type: 'networking.v1.NetworkPolicy' },
];

/**
 * Closed sets of values. kubernetes-types writes these fields as plain `string` (the OpenAPI
 * spec lists the values only in prose), so the networking ones are spelled out here: they give
 * completion of values and flag `Nodeport`-style slips. Upstream's descriptions name the values.
 */
const PROTOCOL = ['TCP', 'UDP', 'SCTP'];
const ENUMS: Record<string, readonly string[]> = {
  'core.v1.ContainerPort.protocol': PROTOCOL,
  'core.v1.ServicePort.protocol': PROTOCOL,
  'core.v1.EndpointPort.protocol': PROTOCOL,
  'discovery.v1.EndpointPort.protocol': PROTOCOL,
  'networking.v1.NetworkPolicyPort.protocol': PROTOCOL,
  'core.v1.ServiceSpec.type': ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'],
  'core.v1.ServiceSpec.externalTrafficPolicy': ['Cluster', 'Local'],
  'core.v1.ServiceSpec.internalTrafficPolicy': ['Cluster', 'Local'],
  'core.v1.ServiceSpec.sessionAffinity': ['None', 'ClientIP'],
  'core.v1.ServiceSpec.ipFamilyPolicy': ['SingleStack', 'PreferDualStack', 'RequireDualStack'],
  'core.v1.PodSpec.dnsPolicy': ['ClusterFirst', 'ClusterFirstWithHostNet', 'Default', 'None'],
  'core.v1.PodSpec.restartPolicy': ['Always', 'OnFailure', 'Never'],
  'core.v1.Container.imagePullPolicy': ['Always', 'IfNotPresent', 'Never'],
  'core.v1.Toleration.operator': ['Exists', 'Equal'],
  'core.v1.Toleration.effect': ['NoSchedule', 'PreferNoSchedule', 'NoExecute'],
  'discovery.v1.EndpointSlice.addressType': ['IPv4', 'IPv6', 'FQDN'],
  'networking.v1.HTTPIngressPath.pathType': ['Exact', 'Prefix', 'ImplementationSpecific'],
  'meta.v1.LabelSelectorRequirement.operator': ['In', 'NotIn', 'Exists', 'DoesNotExist'],
};
const ENUM_ITEMS: Record<string, readonly string[]> = {
  'networking.v1.NetworkPolicySpec.policyTypes': ['Ingress', 'Egress'],
  'core.v1.ServiceSpec.ipFamilies': ['IPv4', 'IPv6'],
};

/** "core/v1.d.ts" → "core.v1". */
function groupOf(file: string): string {
  return relative(TYPES, file).replace(/\.d\.ts$/, '').split(/[\\/]/).join('.');
}

function docOf(node: ts.Node): string | undefined {
  const docs = ts.getJSDocCommentsAndTags(node).filter(ts.isJSDoc);
  const text = docs.map((d) => (typeof d.comment === 'string' ? d.comment : ts.getTextOfJSDocComment(d.comment) ?? '')).join('\n').trim();
  return text ? text : undefined;
}

class Generator {
  readonly defs: Record<string, Schema> = {};
  private readonly checker: ts.TypeChecker;
  private readonly program: ts.Program;

  constructor() {
    const files = ['core/v1', 'apps/v1', 'discovery/v1', 'networking/v1'].map((f) => join(TYPES, `${f}.d.ts`));
    this.program = ts.createProgram(files, { noEmit: true, skipLibCheck: true, types: [] });
    this.checker = this.program.getTypeChecker();
  }

  /** Adds the named type ("core.v1.Service") and everything it reaches to `defs`. */
  define(name: string): void {
    if (this.defs[name]) return;
    const dot = name.lastIndexOf('.');
    const file = join(TYPES, `${name.slice(0, dot).split('.').join('/')}.d.ts`);
    const source = this.program.getSourceFile(file);
    const decl = source?.statements.find((s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === name.slice(dot + 1));
    if (!decl) throw new Error(`kubernetes-types has no interface ${name}`);
    this.defs[name] = {}; // reserve: recursive types
    this.defs[name] = this.object(name, decl);
  }

  private object(name: string, decl: ts.InterfaceDeclaration): Schema {
    const properties: Record<string, Schema> = {};
    const required: string[] = [];
    for (const m of decl.members) {
      if (!ts.isPropertySignature(m) || !m.type) continue;
      const key = m.name.getText();
      const path = `${name}.${key}`;
      let s = this.type(m.type);
      if (ENUMS[path]) s = { type: 'string', enum: [...ENUMS[path]] };
      if (ENUM_ITEMS[path]) s = { type: 'array', items: { type: 'string', enum: [...ENUM_ITEMS[path]] } };
      const description = docOf(m);
      properties[key] = description ? { description, ...s } : s;
      if (!m.questionToken) required.push(key);
    }
    const description = docOf(decl);
    // An empty interface (RawExtension, FieldsV1) stands for free-form JSON.
    if (!Object.keys(properties).length) return { ...(description ? { description } : {}), type: 'object' };
    return {
      ...(description ? { description } : {}),
      type: 'object',
      properties,
      ...(required.length ? { required } : {}),
      additionalProperties: false,
    };
  }

  private type(node: ts.TypeNode): Schema {
    switch (node.kind) {
      case ts.SyntaxKind.StringKeyword: return { type: 'string' };
      // Every number in these kinds is an int32/int64 (ports, replicas, seconds).
      case ts.SyntaxKind.NumberKeyword: return { type: 'integer' };
      case ts.SyntaxKind.BooleanKeyword: return { type: 'boolean' };
      default: break;
    }
    if (ts.isLiteralTypeNode(node) && ts.isStringLiteral(node.literal)) return { type: 'string', enum: [node.literal.text] };
    if (ts.isUnionTypeNode(node)) {
      const kinds = node.types.map((t) => t.kind).sort();
      if (kinds.length === 2 && kinds.includes(ts.SyntaxKind.NumberKeyword) && kinds.includes(ts.SyntaxKind.StringKeyword)) {
        return { anyOf: [{ type: 'integer' }, { type: 'string' }] }; // IntOrString
      }
      if (node.types.every((t) => ts.isLiteralTypeNode(t) && ts.isStringLiteral(t.literal))) {
        return { type: 'string', enum: node.types.map((t) => ((t as ts.LiteralTypeNode).literal as ts.StringLiteral).text) };
      }
      throw new Error(`unhandled union ${node.getText()}`);
    }
    if (ts.isTypeLiteralNode(node)) {
      const index = node.members.find(ts.isIndexSignatureDeclaration);
      if (index && node.members.length === 1) return { type: 'object', additionalProperties: this.type(index.type) };
      throw new Error(`unhandled type literal ${node.getText()}`);
    }
    if (ts.isArrayTypeNode(node)) return { type: 'array', items: this.type(node.elementType) };
    if (ts.isTypeReferenceNode(node)) {
      const name = node.typeName.getText();
      if (name === 'Array' && node.typeArguments?.length === 1) return { type: 'array', items: this.type(node.typeArguments[0]!) };
      let sym = this.checker.getSymbolAtLocation(node.typeName);
      if (sym && sym.flags & ts.SymbolFlags.Alias) sym = this.checker.getAliasedSymbol(sym);
      const decl = sym?.declarations?.[0];
      if (!decl) throw new Error(`cannot resolve ${name}`);
      // Aliases (Quantity, Time, MicroTime) are strings in YAML: inline them.
      if (ts.isTypeAliasDeclaration(decl)) return this.type(decl.type);
      if (ts.isInterfaceDeclaration(decl)) {
        const full = `${groupOf(decl.getSourceFile().fileName)}.${decl.name.text}`;
        this.define(full);
        return { $ref: `#/definitions/${full}` };
      }
    }
    throw new Error(`unhandled type ${node.getText()}`);
  }
}

/** Deep copy with $refs renamed, for the definitions derived from a current type. */
function renamed(s: Schema, refs: Record<string, string>): Schema {
  return JSON.parse(JSON.stringify(s), (k, v: unknown) => (k === '$ref' && typeof v === 'string' && refs[v] ? refs[v] : v)) as Schema;
}

/**
 * networking.k8s.io/v1beta1 (and extensions/v1beta1) Ingress, which the loader converts to v1:
 * the v1 types with `backend` for `defaultBackend` and serviceName/servicePort backends.
 * kubernetes-types no longer ships v1beta1, so these few words are ours.
 */
function ingressV1beta1(defs: Record<string, Schema>): void {
  const ref = (n: string) => `#/definitions/${n}`;
  const refs: Record<string, string> = {};
  for (const t of ['Ingress', 'IngressSpec', 'IngressRule', 'HTTPIngressRuleValue', 'HTTPIngressPath', 'IngressBackend']) refs[ref(`networking.v1.${t}`)] = ref(`networking.v1beta1.${t}`);
  for (const t of ['Ingress', 'IngressRule', 'HTTPIngressRuleValue']) defs[`networking.v1beta1.${t}`] = renamed(defs[`networking.v1.${t}`]!, refs);
  const apiVersion = { type: 'string', enum: ['networking.k8s.io/v1beta1', 'extensions/v1beta1'], description: 'Deprecated apiVersion of Ingress (removed in Kubernetes 1.22); the playground converts it to networking.k8s.io/v1.' };
  (defs['networking.v1beta1.Ingress']!.properties as Record<string, Schema>).apiVersion = apiVersion;

  const spec = renamed(defs['networking.v1.IngressSpec']!, refs);
  const specProps = { ...(spec.properties as Record<string, Schema>) };
  const { defaultBackend, ...rest } = specProps;
  spec.properties = { backend: { ...defaultBackend!, description: 'The default backend (v1: defaultBackend): where requests go that match no rule.' }, ...rest };
  defs['networking.v1beta1.IngressSpec'] = spec;

  const path = renamed(defs['networking.v1.HTTPIngressPath']!, refs);
  path.required = (path.required as string[]).filter((k) => k !== 'pathType'); // optional before v1
  defs['networking.v1beta1.HTTPIngressPath'] = path;

  defs['networking.v1beta1.IngressBackend'] = {
    description: 'IngressBackend (v1beta1): the Service and port requests are sent to. In networking.k8s.io/v1 this became service.name and service.port.',
    type: 'object',
    properties: {
      resource: (defs['networking.v1.IngressBackend']!.properties as Record<string, Schema>).resource,
      serviceName: { description: 'Name of the Service in the Ingress\'s namespace (v1: service.name).', type: 'string' },
      servicePort: { description: 'Port of that Service, as a number or a port name (v1: service.port.number or service.port.name).', anyOf: [{ type: 'integer' }, { type: 'string' }] },
    },
    required: ['serviceName', 'servicePort'],
    additionalProperties: false,
  };
}

/** The schema, as a value. Definition keys are sorted so the text is stable. */
export function k8sSchema(): Schema {
  const g = new Generator();
  for (const k of KINDS) if (!k.type.includes('v1beta1')) g.define(k.type);
  ingressV1beta1(g.defs);
  for (const k of KINDS) {
    const props = g.defs[k.type]!.properties as Record<string, Schema>;
    const upstream = props.apiVersion!;
    if (!k.type.includes('v1beta1')) props.apiVersion = { ...upstream, enum: [...k.apiVersions] };
    // Optional in the Go types, but every object sent to the API server names both.
    const def = g.defs[k.type]!;
    def.required = [...new Set(['apiVersion', 'kind', ...((def.required ?? []) as string[])])];
  }
  const definitions: Record<string, Schema> = {};
  for (const key of Object.keys(g.defs).sort()) definitions[key] = g.defs[key]!;
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://knp.invalid/schema/k8s/kubernetes.schema.json',
    title: 'Kubernetes kinds of a knp scenario',
    description: 'Generated by scripts/gen-k8s-schema.ts from kubernetes-types (the upstream OpenAPI spec). One YAML document is checked against the type of its apiVersion and kind.',
    allOf: KINDS.flatMap((k) => k.apiVersions.map((v) => ({
      if: { properties: { apiVersion: { const: v }, kind: { const: k.kind } }, required: ['apiVersion', 'kind'] },
      then: { $ref: `#/definitions/${k.type}` },
    }))),
    definitions,
  };
}

export function k8sSchemaText(): string {
  return `${JSON.stringify(k8sSchema(), null, 1)}\n`;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const out = join(ROOT, K8S_SCHEMA_FILE);
  mkdirSync(dirname(out), { recursive: true });
  const text = k8sSchemaText();
  writeFileSync(out, text);
  process.stdout.write(`wrote ${K8S_SCHEMA_FILE} (${text.length} bytes)\n`);
}
