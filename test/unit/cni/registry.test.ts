/**
 * The registry is the one list of plugins: the scenario schema (a layer below cni/, so it cannot
 * import it) repeats the plugin names and the backends, and these checks keep the copies equal,
 * so adding a plugin that forgets one fails here rather than in a learner's editor.
 */
import { describe, expect, it } from 'vitest';
import { CNI_PLUGINS } from '../../../src/engine/cni/registry';
import { networkBackend, networkPlugin } from '../../../src/engine/scenario/schema/knp';

describe('cni registry', () => {
  it('names each plugin by its own id', () => {
    for (const [key, p] of Object.entries(CNI_PLUGINS)) expect(p.id).toBe(key);
  });

  it('the schema\'s spec.network.plugin values are exactly the registry\'s plugins', () => {
    expect([...networkPlugin.options].sort()).toEqual(Object.keys(CNI_PLUGINS).sort());
  });

  it('the schema\'s spec.network.backend values are exactly the backends some plugin has', () => {
    const fromPlugins = new Set(Object.values(CNI_PLUGINS).flatMap((p) => p.backends));
    expect(new Set(networkBackend.options)).toEqual(fromPlugins);
  });
});
