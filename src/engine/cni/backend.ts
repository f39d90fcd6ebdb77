/** Choosing a plugin's backend from `spec.network.backend`, shared by the plugins that have several. */
import { report, type BuildCtx } from '../net/context';

/**
 * The backend the Cluster asks for when `valid` has it (or `aliases` maps it to one), otherwise
 * a `cni-backend-invalid` warning and `fallback`. `undefined` (not set) gives `fallback` silently.
 */
export function chooseBackend<B extends string>(ctx: BuildCtx, valid: readonly B[], fallback: B, aliases: Readonly<Record<string, B>> = {}): B {
  const { plugin, backend } = ctx.model.spec.network;
  if (backend === undefined) return fallback;
  const aliased = aliases[backend];
  if (aliased) return aliased;
  if ((valid as readonly string[]).includes(backend)) return backend as B;
  report(ctx, undefined, [], 'warning', 'cni-backend-invalid', `${plugin} has no "${backend}" backend; using ${fallback}`, `valid backends for ${plugin}: ${valid.join(', ')}`, { plugin, backend, fallback, valid: valid.join(', ') });
  return fallback;
}
