/** What a canvas object holds: addresses, routes, ARP, FDB, iptables chains with counters, conntrack, IPVS. */
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { NsSnap, Snapshot } from '../../worker/snapshot';
import { select, useActions, useApp } from '../store';
import { inetLines, nodeAddresses, nodePodCIDRs, podAddresses, serviceAddresses } from '../canvas/addresses';
import { PIPELINE, type Stage } from './hooks';
import { NetfilterHook } from './NetfilterHook';

function Section({ title, lines }: { title: string; lines: readonly string[] | null | undefined }) {
  const { t } = useTranslation();
  if (lines === null || lines === undefined) return null;
  return (
    <details className="knp-obj-section" open={lines.length > 0 && lines.length < 12}>
      <summary>{title} <span className="knp-badge">{lines.length}</span></summary>
      {lines.length ? <pre className="knp-mono knp-small">{lines.join('\n')}</pre> : <div className="knp-muted knp-small">{t('inspector.none')}</div>}
    </details>
  );
}

function NsDetails({ ns }: { ns: NsSnap }) {
  const { t } = useTranslation();
  const actions = useActions();
  return (
    <>
      <Section title={t('inspector.links')} lines={ns.links.map((l) => [`${l.ifindex}: ${l.name}${l.peer ? `@${l.peer.dev}` : ''} ${l.kind} ${l.up ? 'UP' : 'DOWN'} mtu ${l.mtu}${l.master ? ` master ${l.master}` : ''}`, `    link/ether ${l.mac}`, ...inetLines(l.addrs).map((a) => `    ${a}`), ...(l.detail ? [`    ${l.detail}`] : [])].join('\n'))} />
      {/* A namespace that speaks IPv6 shows both tables, each the way its `ip` command prints it. */}
      <Section title={ns.routes6 ? t('inspector6.routes4') : t('inspector.routes')} lines={ns.routes} />
      {ns.routes6 && <Section title={t('inspector6.routes6')} lines={ns.routes6} />}
      <Section title={ns.neigh6 ? t('inspector6.neigh4') : t('inspector.neigh')} lines={ns.neigh} />
      {ns.neigh6 && <Section title={t('inspector6.neigh6')} lines={ns.neigh6} />}
      <Section title={t('inspector.fdb')} lines={ns.links.flatMap((l) => l.fdb)} />
      <Section title={t('inspector.listeners')} lines={ns.listeners} />
      {ns.chains && (
        <details className="knp-obj-section">
          <summary>{t('inspector.chains')} <span className="knp-badge">{ns.chains.length}</span></summary>
          <button type="button" className="knp-btn knp-small" onClick={() => actions.select(`${ns.id}/netfilter/PREROUTING`)}>{t('hooks.open')}</button>
          {ns.chains.map((c) => (
            <div key={`${c.table}/${c.name}`} className="knp-small">
              <div className="knp-mono"><strong>-t {c.table} {c.name}</strong>{c.policy ? ` (policy ${c.policy})` : ''}</div>
              <pre className="knp-mono">{c.rules.map((r) => `${String(r.packets).padStart(6)} ${r.text}`).join('\n') || '  (empty)'}</pre>
            </div>
          ))}
        </details>
      )}
      <Section title={t('inspector.conntrack')} lines={ns.conntrack} />
      <Section title={t('inspector.ipvs')} lines={ns.ipvs} />
    </>
  );
}

function body(snap: Snapshot, id: string): { title: string; kv: [string, ReactNode][]; ns?: NsSnap; lines?: [string, string[]][] } | null {
  const nsOf = (x: string) => snap.namespaces.find((n) => n.id === x);
  const pod = snap.pods.find((p) => p.id === id);
  if (pod) {
    return {
      title: id,
      kv: [pod.ips && pod.ips.length > 1 ? ['IPs', pod.ips.join('\n')] : ['IP', podAddresses(pod)[0] ?? '—'], ['node', pod.node ?? '—'], ['phase', pod.phase], ['labels', Object.entries(pod.labels).map(([k, v]) => `${k}=${v}`).join(', ') || '—']],
      lines: [['containers', pod.containers.map((c) => `${c.name}  ${c.image}  ${c.ports.join(' ')}`)]],
      ...(nsOf(id) ? { ns: nsOf(id)! } : {}),
    };
  }
  const node = snap.nodes.find((n) => n.id === id);
  if (node) {
    const ips = nodeAddresses(node);
    const cidrs = nodePodCIDRs(node);
    return { title: id, kv: [[ips.length > 1 ? 'IPs' : 'IP', ips.join('\n')], [cidrs.length > 1 ? 'podCIDRs' : 'podCIDR', cidrs.join('\n')], ['ready', String(node.ready)]], ...(nsOf(id) ? { ns: nsOf(id)! } : {}) };
  }
  const svc = snap.services.find((s) => s.id === id);
  if (svc) return { title: id, kv: [['type', svc.type], svc.clusterIPs && svc.clusterIPs.length > 1 ? ['clusterIPs', svc.clusterIPs.join('\n')] : ['clusterIP', serviceAddresses(svc)[0] ?? '—'], ['ports', svc.ports.join(', ')]], lines: [['endpoints', [...svc.endpoints]]] };
  const host = snap.hosts.find((h) => h.id === id);
  if (host) return { title: id, kv: [['IP', host.ip]], ...(nsOf(id) ? { ns: nsOf(id)! } : {}) };
  const ns = nsOf(id);
  if (ns) return { title: id, kv: [], ns };
  // A device: node/NAME/DEV → that namespace, that link.
  const cut = id.lastIndexOf('/');
  const owner = nsOf(id.slice(0, cut));
  const link = owner?.links.find((l) => l.name === id.slice(cut + 1));
  if (owner && link) {
    return {
      title: id,
      kv: [['kind', link.kind], ['state', link.up ? 'UP' : 'DOWN'], ['MAC', link.mac], ['MTU', String(link.mtu)], ['addresses', inetLines(link.addrs).join('\n') || '—'],
        ...(link.master ? [['master', link.master] as [string, string]] : []), ...(link.peer ? [['peer', `${link.peer.ns} ${link.peer.dev}`] as [string, string]] : []),
        ...(link.detail ? [['detail', link.detail] as [string, string]] : []), ['rx/tx', `${link.stats.rx}/${link.stats.tx} packets`]],
      lines: [['FDB', [...link.fdb]], ['routes via this device', [...owner.routes, ...(owner.routes6 ?? [])].filter((r) => r.includes(`dev ${link.name}`))]],
    };
  }
  return null;
}

/** `node/N/netfilter` (the box) or `node/N/netfilter/HOOK` (one stage of its pipeline). */
function netfilterStage(snap: Snapshot, id: string): { ns: NsSnap; stage: Stage } | null {
  const m = /^(.*)\/netfilter(?:\/([A-Za-z]+))?$/.exec(id);
  const ns = m ? snap.namespaces.find((n) => n.id === m[1]) : undefined;
  if (!m || !ns) return null;
  const stage = m[2] ?? 'PREROUTING';
  return PIPELINE.includes(stage as Stage) ? { ns, stage: stage as Stage } : null;
}

export function ObjectInspector() {
  const { t } = useTranslation();
  const id = useApp(select.selected);
  const snap = useApp(select.snapshot);
  const actions = useActions();
  if (!id || !snap) return null;
  const nf = netfilterStage(snap, id);
  const b = nf ? null : body(snap, id);
  return (
    <aside className="knp-object" aria-label={t('inspector.object')} data-knp-inspect={id}>
      <div className="knp-panel-head">
        <span className="knp-panel-title knp-mono">{nf ? `${t('canvas.netfilter')} · ${nf.ns.id} · ${nf.stage === 'routing' ? t('canvas.routing') : nf.stage}` : b?.title ?? id}</span>
        <span className="knp-spacer" />
        <button type="button" className="knp-icon-btn" onClick={() => actions.select(null)} aria-label={t('inspector.close')}>✕</button>
      </div>
      <div className="knp-panel-body">
        {b && b.kv.length > 0 && <dl className="knp-detail">{b.kv.map(([k, v]) => <div key={k}><dt>{k}</dt><dd className="knp-mono">{v}</dd></div>)}</dl>}
        {b?.lines?.map(([title, lines]) => <Section key={title} title={title} lines={lines} />)}
        {/* An outline (a large cluster) is filled in by the store's focus request in a moment. */}
        {b?.ns && !b.ns.partial && <NsDetails ns={b.ns} />}
        {nf && <NetfilterHook ns={nf.ns} stage={nf.stage} />}
      </div>
    </aside>
  );
}
