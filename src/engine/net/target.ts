/** A place in the simulated world where a command runs or a packet starts: the workstation, a node, a Pod, a host. */

/** Where a command runs. `netns` narrows a node or host to one of its named namespaces (ip netns exec). */
export type Target =
  | { readonly kind: 'workstation' }
  | { readonly kind: 'node'; readonly name: string; readonly netns?: string }
  | { readonly kind: 'pod'; readonly namespace: string; readonly name: string; readonly container?: string }
  | { readonly kind: 'host'; readonly name: string; readonly netns?: string };

export function formatTarget(t: Target): string {
  switch (t.kind) {
    case 'workstation': return 'workstation';
    case 'node': return `node/${t.name}${t.netns ? ` (netns ${t.netns})` : ''}`;
    case 'pod': return `pod/${t.namespace}/${t.name}`;
    case 'host': return `host/${t.name}${t.netns ? ` (netns ${t.netns})` : ''}`;
  }
}

/** Parses node/NAME, pod/NS/NAME, pod/NAME (namespace default), host/NAME. */
export function parseTarget(s: string): Target | null {
  const parts = s.split('/');
  if (parts[0] === 'node' && parts.length === 2 && parts[1]) return { kind: 'node', name: parts[1] };
  if (parts[0] === 'host' && parts.length === 2 && parts[1]) return { kind: 'host', name: parts[1] };
  if (parts[0] === 'pod' && parts.length === 2 && parts[1]) return { kind: 'pod', namespace: 'default', name: parts[1] };
  if (parts[0] === 'pod' && parts.length === 3 && parts[1] && parts[2]) return { kind: 'pod', namespace: parts[1], name: parts[2] };
  if (s === 'workstation') return { kind: 'workstation' };
  return null;
}
