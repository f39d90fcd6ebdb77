/**
 * Building blocks shared by the schemas. Kubernetes objects are validated "as the API server
 * does": unknown fields are reported (as warnings, like `kubectl --validate=warn`), known
 * fields we do not model are accepted and ignored (`ignored()`), types are checked.
 */
import { z } from 'zod';

// No code generation: zod 4 otherwise compiles object parsers with `new Function`, which the
// page's Content-Security-Policy (no 'unsafe-eval', docs/robustness.md) refuses.
z.config({ jitless: true });

export const ignored = () => z.unknown().optional();
export const intOrString = z.union([z.number().int(), z.string()]);
export const labels = z.record(z.string(), z.string());
export const protocol = z.enum(['TCP', 'UDP', 'SCTP']);

export const objectMeta = z.strictObject({
  name: z.string().optional(),
  generateName: z.string().optional(),
  namespace: z.string().optional(),
  labels: labels.optional(),
  annotations: labels.optional(),
  uid: ignored(),
  resourceVersion: ignored(),
  generation: ignored(),
  creationTimestamp: ignored(),
  deletionTimestamp: ignored(),
  deletionGracePeriodSeconds: ignored(),
  ownerReferences: ignored(),
  finalizers: ignored(),
  managedFields: ignored(),
  selfLink: ignored(),
});
export type ObjectMeta = z.infer<typeof objectMeta>;

export const labelSelectorRequirement = z.strictObject({
  key: z.string(),
  operator: z.enum(['In', 'NotIn', 'Exists', 'DoesNotExist']),
  values: z.array(z.string()).optional(),
});
export const labelSelector = z.strictObject({
  matchLabels: labels.optional(),
  matchExpressions: z.array(labelSelectorRequirement).optional(),
});
export type LabelSelector = z.infer<typeof labelSelector>;
