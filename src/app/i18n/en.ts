export const en = {
  app: { title: 'Kube Network Playground', tagline: 'See every hop of a Kubernetes packet' },
  toolbar: {
    cluster: 'Cluster', kernel: 'Kernel', view: 'View', node: 'Node', share: 'Share', shared: 'Link copied',
    theme: 'Theme', light: 'Light', dark: 'Dark', language: 'Language', restartEngine: 'Restart engine',
    lab: 'lab.sh', labHint: 'Download a bash script that rebuilds this scenario in real network namespaces (run it as root on a Linux VM)',
    labUnsupported: 'This scenario cannot be rebuilt on a real kernel:',
  },
  engine: {
    starting: 'Starting engine…', building: 'Building…', ready: 'Ready',
    restarted: 'The engine stopped ({{reason}}) and was restarted from the YAML; the terminal commands that changed it were run again.',
    failure: 'Engine error: {{message}}', dismiss: 'Dismiss',
  },
  editor: { loading: 'Loading editor…', problems_one: '{{count}} problem', problems_other: '{{count}} problems', noProblems: 'No problems' },
  canvas: {
    empty: 'Nothing to draw yet: describe nodes and Pods in the YAML.', fit: 'Fit view',
    underlay: 'underlay', services: 'Services', netfilter: 'netfilter', routing: 'routing decision', rules: 'rules', noRules: 'no rules: everything accepted',
    kernelEmpty: 'This node has no network state yet.', pickNode: 'Pick a node',
    hint: 'Click: inspect · Shift-click: send from · Alt-click: send to',
  },
  send: {
    title: 'Send a packet', from: 'From', to: 'To', toPlaceholder: 'IP, Service, DNS name or URL', port: 'Port', protocol: 'Protocol',
    count: 'Packets', send: 'Send', probes: 'Run probes', sending: 'Walking…',
  },
  player: {
    play: 'Play', pause: 'Pause', stepForward: 'Step forward', stepBack: 'Step back', speed: 'Speed', loop: 'Loop', space: 'Space',
    event: 'Event {{n}} of {{total}}', noTrace: 'Send a packet or run the probes to see its journey.', jump: 'Jump to event',
  },
  events: { title: 'Events', all: 'All', filter: 'Filter by type', empty: 'No events', packets: 'Packets' },
  inspector: {
    packet: 'Packet', object: 'Object', noEvent: 'Select an event to see the packet at that hop.', noPacket: 'This event carries no packet.',
    changed: 'changed here', details: 'Details', close: 'Close',
    moreRules_one: '{{count}} more rule did not match', moreRules_other: '{{count}} more rules did not match', allRules: 'Show all {{count}} rules', fewerRules: 'Show fewer rules',
    addresses: 'Addresses', links: 'Interfaces', routes: 'Routes', neigh: 'ARP / neighbours', fdb: 'FDB', chains: 'iptables chains',
    conntrack: 'conntrack', ipvs: 'IPVS', listeners: 'Listening sockets', endpoints: 'Endpoints', ports: 'Ports', containers: 'Containers',
    none: '(none)', labels: 'Labels', phase: 'Phase',
    samePacket: 'The packet as it was at event {{seq}}; this step does not change it.',
  },
  change: { dnat: 'DNAT', snat: 'SNAT', ttl: 'TTL −1', mac: 'MAC rewrite', encap: 'encapsulated', decap: 'decapsulated', sport: 'source port', dport: 'destination port' },
  verdict: { delivered: 'delivered', refused: 'refused', dropped: 'dropped', unreachable: 'unreachable', timeout: 'timed out', nxdomain: 'no such name', error: 'error' },
  terminal: { title: 'Terminal', target: 'Run in', reset: 'Reset to YAML', resetDone: 'State reset to the YAML.', loading: 'Loading terminal…', welcome: 'Commands run in {{target}}. Tab completes, ↑/↓ recall history. Try: {{example}}' },
  hooks: {
    PREROUTING: 'Every packet arriving on an interface, before routing: raw (skip conntrack), mangle, then nat, where kube-proxy rewrites a Service address to a Pod (DNAT).',
    routing: 'The routing decision: the destination is local (→ INPUT) or forwarded (→ FORWARD). These are the routes it looks up.',
    INPUT: 'Packets for a socket on this machine: mangle, filter (accept or drop), then nat for source NAT on the way in.',
    FORWARD: 'Packets routed through this machine, such as Pod to Pod across nodes: mangle, then filter (kube-proxy and the CNI accept or drop here).',
    OUTPUT: 'Packets that processes on this machine send: raw, mangle, nat (DNAT for Services called from the node), filter.',
    POSTROUTING: 'Every packet leaving, after routing: mangle, then nat, where MASQUERADE / SNAT rewrite the source.',
    emptyChain: 'no rules: the policy decides', counters: 'pkts · bytes: how many packets and bytes each rule has matched (iptables -L -v -n)', counterTitle: '{{packets}} packets, {{bytes}} bytes matched this rule', open: 'Show as the hook pipeline', chosen: 'this packet', unreachable: 'Network is unreachable',
  },
  pane: { resize: 'Resize panes' },
};
export type Strings = typeof en;
