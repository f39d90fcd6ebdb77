/**
 * The editor's JSON Schema: the generated Kubernetes part is current and follows upstream's
 * types, every kind the loader accepts is covered, our explanations are layered on in both
 * languages, and the shipped scenarios validate cleanly while a typo does not.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { K8S_SCHEMA_FILE, KINDS, k8sSchema, k8sSchemaText } from '../scripts/gen-k8s-schema';
import { loadScenario } from '../src/engine/scenario/load';
import { EXPLAIN, EXPLAIN_VALUES } from '../src/app/editor/explain';
import { knownKinds, scenarioSchema } from '../src/app/editor/schema';
import { SNIPPETS } from '../src/app/editor/snippets';
import { stringify } from 'yaml';

type Schema = Record<string, unknown>;
const defsOf = (s: Schema) => s.definitions as Record<string, Schema>;
const propsOf = (s: Schema | undefined) => (s?.properties ?? {}) as Record<string, Schema>;

/**
 * Just enough of draft-07 for what the schema uses: returns the paths of the problems. Unknown
 * keywords are ignored; `if` fails silently as the standard says.
 */
function validate(root: Schema, s: Schema, v: unknown, path = ''): string[] {
  if (typeof s.$ref === 'string') return validate(root, defsOf(root)[s.$ref.replace('#/definitions/', '')]!, v, path);
  const out: string[] = [];
  const type = s.type as string | undefined;
  const isObj = typeof v === 'object' && v !== null && !Array.isArray(v);
  if (type === 'object' && !isObj) return [`${path}: not an object`];
  if (type === 'array' && !Array.isArray(v)) return [`${path}: not an array`];
  if (type === 'string' && typeof v !== 'string') return [`${path}: not a string`];
  if (type === 'integer' && !Number.isInteger(v)) return [`${path}: not an integer`];
  if (type === 'boolean' && typeof v !== 'boolean') return [`${path}: not a boolean`];
  if (Array.isArray(s.enum) && !s.enum.includes(v)) out.push(`${path}: ${JSON.stringify(v)} not in enum`);
  if ('const' in s && s.const !== v) out.push(`${path}: not ${JSON.stringify(s.const)}`);
  if (s.not && !validate(root, s.not as Schema, v, path).length) out.push(`${path}: matches "not"`);
  if (Array.isArray(s.anyOf) && !s.anyOf.some((a) => !validate(root, a as Schema, v, path).length)) out.push(`${path}: matches no anyOf`);
  for (const a of (s.allOf ?? []) as Schema[]) {
    if (a.if && !validate(root, a.if as Schema, v, path).length) out.push(...validate(root, a.then as Schema, v, path));
    else if (!a.if) out.push(...validate(root, a, v, path));
  }
  if (isObj) {
    const o = v as Record<string, unknown>;
    for (const r of (s.required ?? []) as string[]) if (!(r in o)) out.push(`${path}.${r}: required`);
    for (const [k, x] of Object.entries(o)) {
      const p = propsOf(s)[k];
      if (p) out.push(...validate(root, p, x, `${path}.${k}`));
      else if (s.additionalProperties === false) out.push(`${path}.${k}: not allowed`);
      else if (typeof s.additionalProperties === 'object') out.push(...validate(root, s.additionalProperties as Schema, x, `${path}.${k}`));
    }
  }
  if (Array.isArray(v) && typeof s.items === 'object') v.forEach((x, i) => out.push(...validate(root, s.items as Schema, x, `${path}[${i}]`)));
  return out;
}

function problems(schema: Schema, yaml: string): string[] {
  return parseAllDocuments(yaml).flatMap((d, i) => validate(schema, schema, d.toJS(), `doc${i}`));
}

describe('generated Kubernetes schema', () => {
  it(`${K8S_SCHEMA_FILE} is up to date (run \`npm run schema:k8s\`)`, () => {
    expect(readFileSync(K8S_SCHEMA_FILE, 'utf8')).toBe(k8sSchemaText());
  });

  const defs = defsOf(JSON.parse(readFileSync(K8S_SCHEMA_FILE, 'utf8')) as Schema);

  it('ServicePort follows upstream: port required, targetPort int-or-string, descriptions kept', () => {
    const sp = defs['core.v1.ServicePort']!;
    expect(sp.required).toEqual(['port']);
    expect(propsOf(sp).port!.type).toBe('integer');
    expect(propsOf(sp).targetPort!.anyOf).toEqual([{ type: 'integer' }, { type: 'string' }]);
    expect(propsOf(sp).port!.description).toBe('The port that will be exposed by this service.');
    expect(propsOf(sp).protocol!.enum).toEqual(['TCP', 'UDP', 'SCTP']);
    expect(sp.additionalProperties).toBe(false);
  });

  it('shares types through $ref and keeps free-form maps open', () => {
    expect(propsOf(defs['core.v1.ServiceSpec']).ports).toMatchObject({ type: 'array', items: { $ref: '#/definitions/core.v1.ServicePort' } });
    expect(propsOf(defs['meta.v1.ObjectMeta']).labels).toMatchObject({ type: 'object', additionalProperties: { type: 'string' } });
    expect(propsOf(defs['core.v1.Service']).kind!.enum).toEqual(['Service']);
  });

  it('derives Ingress v1beta1 (serviceName/servicePort) for the apiVersions the loader converts', () => {
    const b = defs['networking.v1beta1.IngressBackend']!;
    expect(b.required).toEqual(['serviceName', 'servicePort']);
    expect(propsOf(defs['networking.v1beta1.IngressSpec']).backend!.$ref).toBe('#/definitions/networking.v1beta1.IngressBackend');
  });

  it('covers exactly the apiVersion/kind pairs the loader accepts', () => {
    for (const { kind, apiVersions } of KINDS) {
      for (const apiVersion of apiVersions) {
        const { diagnostics } = loadScenario('k.yaml', `apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata: {name: x}\n`);
        expect(diagnostics.map((d) => d.code), `${apiVersion} ${kind}`).not.toContain('unknown-kind');
        expect(diagnostics.map((d) => d.code), `${apiVersion} ${kind}`).not.toContain('unknown-apiversion');
      }
    }
    // And the other way: every kind kubernetes-types declares, at its apiVersion and at the old
    // ones clusters used to serve, is either in KINDS or turned away by the loader.
    const covered = new Set(KINDS.flatMap((k) => k.apiVersions.map((v) => `${v} ${k.kind}`)));
    const old = ['extensions/v1beta1', 'apps/v1beta1', 'apps/v1beta2', 'networking.k8s.io/v1beta1', 'discovery.k8s.io/v1beta1', 'policy/v1beta1'];
    const dir = 'node_modules/kubernetes-types';
    for (const group of readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory())) {
      for (const f of readdirSync(`${dir}/${group.name}`)) {
        for (const chunk of readFileSync(`${dir}/${group.name}/${f}`, 'utf8').split('export interface ')) {
          const apiVersion = /apiVersion\?: "([^"]+)"/.exec(chunk)?.[1];
          const kind = /kind\?: "([^"]+)"/.exec(chunk)?.[1];
          if (!apiVersion || !kind) continue;
          for (const v of [apiVersion, ...old]) {
            const codes = loadScenario('k.yaml', `apiVersion: ${v}\nkind: ${kind}\nmetadata: {name: x}\n`).diagnostics.map((d) => d.code);
            const accepted = !codes.includes('unknown-kind') && !codes.includes('unknown-apiversion');
            if (accepted) expect(covered, `${v} ${kind} is accepted by the loader`).toContain(`${v} ${kind}`);
          }
        }
      }
    }
    const pairs = knownKinds().map((k) => `${k.apiVersion} ${k.kind}`);
    expect(pairs).toEqual(expect.arrayContaining(['v1 Service', 'extensions/v1beta1 Ingress', 'knp/v1alpha1 Cluster', 'knp/v1alpha1 Probe']));
  });
});

describe('our explanations', () => {
  const en = defsOf(scenarioSchema('en'));
  const zh = defsOf(scenarioSchema('zh-CN'));
  const md = (d: Record<string, Schema>, def: string, prop: string) => String(propsOf(d[def])[prop]!.markdownDescription);

  it('layer ours first, then upstream, in the UI language', () => {
    const e = md(en, 'core.v1.ServicePort', 'targetPort');
    expect(e.startsWith(EXPLAIN['core.v1.ServicePort.targetPort']!.en)).toBe(true);
    expect(e).toContain('Number or name of the port to access on the pods');
    const z = md(zh, 'core.v1.ServicePort', 'targetPort');
    expect(z.startsWith(EXPLAIN['core.v1.ServicePort.targetPort']!['zh-CN'])).toBe(true);
    expect(z).toContain('Kubernetes API 原文');
    expect(md(en, 'core.v1.ServicePort', 'nodePort')).toMatch(/DNAT/);
    expect(md(zh, 'core.v1.ContainerPort', 'hostPort')).toMatch(/portmap/);
  });

  it('every explanation lands on a field that exists, with both languages written', () => {
    for (const [key, e] of Object.entries(EXPLAIN)) {
      expect(e.en.length, key).toBeGreaterThan(20);
      expect(e['zh-CN'], key).toMatch(/[\u4e00-\u9fff]/);
      const [group, version, def, ...path] = key.split('.');
      let s: Schema | undefined = group === 'knp' ? en[`knp.${version}`] : en[`${group}.${version}.${def}`];
      for (const p of group === 'knp' ? [def!, ...path] : path) s = propsOf((s?.items as Schema | undefined) ?? s)[p];
      expect(s?.markdownDescription, key).toContain(e.en);
      if (group === 'knp') expect(s?.markdownDescription, `${key} has no upstream`).toBe(e.en);
    }
  });

  it('describes each value of the enums we explain, in order, in both languages', () => {
    for (const [key, values] of Object.entries(EXPLAIN_VALUES)) {
      const [group, version, def, prop] = key.split('.');
      for (const [schema, lang] of [[en, 'en'], [zh, 'zh-CN']] as const) {
        const p = propsOf(schema[`${group}.${version}.${def}`])[prop!]!;
        expect(Object.keys(values).sort(), key).toEqual([...(p.enum as string[])].sort());
        expect(p.markdownEnumDescriptions, key).toEqual((p.enum as string[]).map((v) => values[v]![lang]));
      }
    }
  });

  it('also explains the derived v1beta1 Ingress', () => {
    expect(md(en, 'networking.v1beta1.HTTPIngressPath', 'pathType')).toContain(EXPLAIN['networking.v1.HTTPIngressPath.pathType']!.en);
  });
});

describe('validation against the scenario schema', () => {
  const schema = scenarioSchema('en');

  it('the shipped scenarios validate cleanly', () => {
    for (const f of readdirSync('content/scenarios').filter((n) => n.endsWith('.yaml'))) {
      expect(problems(schema, readFileSync(`content/scenarios/${f}`, 'utf8')), f).toEqual([]);
    }
  });

  it('flags a misspelt field and a value outside an enum, per document kind', () => {
    const yaml = 'apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  type: Nodeport\n  ports:\n    - {port: 80, targetPrt: 8080}\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  selector: {matchLabels: {a: b}}\n  template: {spec: {containers: [{name: c, ports: [{containerPort: 80}]}]}}\n';
    expect(problems(schema, yaml).sort()).toEqual(['doc0.spec.ports[0].targetPrt: not allowed', 'doc0.spec.type: "Nodeport" not in enum']);
  });

  it('checks a document with a kind but no apiVersion yet as that kind', () => {
    expect(problems(schema, 'kind: Service\nspec:\n  clusterIp: None\n').sort()).toEqual(['doc0.apiVersion: required', 'doc0.spec.clusterIp: not allowed']);
    expect(problems(schema, 'kind: Cluster\nmetadata: {name: c}\nspec:\n  podCIDR: 10.244.0.0/16\n')).toEqual(['doc0.apiVersion: required']);
  });

  it('every new-document snippet is valid for the schema and the engine, and labelled in both languages', () => {
    for (const sn of SNIPPETS) {
      expect(sn.label['zh-CN'].length && sn.description['zh-CN']).toMatch(/[\u4e00-\u9fff]/);
      // What the snippet becomes once the tab stops keep their defaults.
      const yaml = stringify(JSON.parse(JSON.stringify(sn.body), (_k, v: unknown) =>
        typeof v === 'string' ? (v.startsWith('^') ? JSON.parse(v.slice(1)) as unknown : v.replace(/\$\{\d+:([^}]*)\}/g, '$1')) : v));
      expect(problems(schema, yaml), sn.label.en).toEqual([]);
      expect(loadScenario('s.yaml', yaml).diagnostics.filter((d) => d.severity !== 'info'), sn.label.en).toEqual([]);
    }
    expect((scenarioSchema('zh-CN').defaultSnippets as { label: string }[]).map((x) => x.label)).toContain('NetworkPolicy：拒绝所有入站');
  });
});
