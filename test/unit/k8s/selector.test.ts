import { describe, expect, it } from 'vitest';
import { formatSelector, matchesSelector, parseSelectorString } from '../../../src/engine/control/selector';

describe('label selectors', () => {
  const labels = { app: 'web', tier: 'front' };
  it('ANDs matchLabels and matchExpressions', () => {
    expect(matchesSelector(labels, { matchLabels: { app: 'web' } })).toBe(true);
    expect(matchesSelector(labels, { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['back'] }] })).toBe(false);
    expect(matchesSelector(labels, { matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['back'] }, { key: 'env', operator: 'DoesNotExist' }] })).toBe(true);
    expect(matchesSelector(labels, { matchExpressions: [{ key: 'env', operator: 'Exists' }] })).toBe(false);
    expect(matchesSelector(labels, {})).toBe(true);
  });
  it('parses kubectl -l syntax', () => {
    const s = parseSelectorString('app=web,tier!=db,env in (a,b),!canary,track');
    expect(typeof s).toBe('object');
    expect(formatSelector(s as never)).toBe('app=web,tier notin (db),env in (a,b),!canary,track');
    expect(matchesSelector({ app: 'web', env: 'a', track: 'x' }, s as never)).toBe(true);
    expect(typeof parseSelectorString('a=(b')).toBe('string');
  });
});
