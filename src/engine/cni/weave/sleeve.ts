/**
 * Weave's sleeve in user space: the weaver process captures frames on vethwe-pcap (a packet
 * socket) and carries them to its peers in UDP 6783, sealed with NaCl secretbox when a password
 * is set; what it receives on 6783 it writes back out of vethwe-pcap.
 *
 *   weave bridge ─► vethwe-bridge ══veth══ vethwe-pcap ─► weaver captures the frame
 *       ─► its peer for the frame's MAC (vethwe-pcap's FDB; every peer for a broadcast)
 *       ─► [IP][UDP 6783][inner Eth][inner IP] to that peer
 *
 * The kernel side (the packet socket, the outer packet as a local packet of the node, the
 * injection) is the stack's (stack/userspace.ts); what is here is what weaver decides.
 */
import { message } from '../../i18n/messages';
import { fdbTargets } from '../../stack/tunnel';
import type { UserspaceProcess, UserspaceRegistry } from '../../stack/userspace';
import { ZERO_MAC } from '../../stack/walker';

export const WEAVER = 'weaver';

export const weaver: UserspaceProcess = {
  name: WEAVER,
  send: (_env, dev, frame) => {
    const ps = dev.packetSocket!;
    const dmac = frame.eth?.dst ?? ZERO_MAC;
    const targets = fdbTargets(dev, dmac);
    if (targets.length === 0) return { verdict: 'drop', reason: `${ps.owner}: no peer for ${dmac}` };
    return {
      verdict: 'send',
      datagrams: targets.map((e) => ({
        peer: e.dst!, sport: ps.port, dport: ps.port,
        message: ps.encrypted ? message('event.psock.wrapSealed', { owner: ps.owner, port: ps.port, peer: e.dst!, seal: ps.encrypted }) : message('event.psock.wrap', { owner: ps.owner, port: ps.port, peer: e.dst! }),
        label: `${ps.owner} UDP ${ps.port}`,
        ...(ps.encrypted ? { encrypted: ps.encrypted } : {}),
      })),
    };
  },
  receive: (_env, dev, pkt) => {
    const ps = dev.packetSocket!;
    const port = pkt.udp!.dport;
    return {
      received: ps.encrypted ? message('event.psock.receiveSealed', { owner: ps.owner, port, peer: pkt.ip!.src, seal: ps.encrypted }) : message('event.psock.receive', { owner: ps.owner, port, peer: pkt.ip!.src }),
      injected: message('event.psock.inject', { owner: ps.owner, dev: dev.name }),
      label: `${ps.owner} UDP ${port}`,
    };
  },
};

export const weaveUserspace: UserspaceRegistry = new Map([[WEAVER, weaver]]);
