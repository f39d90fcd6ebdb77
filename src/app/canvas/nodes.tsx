/**
 * The canvas's node kinds. Each carries data-knp-id (the model id) so tests, the inspector and
 * the packet animation all name things the same way. Handles are invisible: edges are drawn
 * centre to centre by LinkEdge, so only one source and one target handle are needed.
 */
import { Handle, Position, useStore, type NodeProps, type Node, type ReactFlowState } from '@xyflow/react';
import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import type { ChainSnap } from '../../worker/snapshot';
import { select, useActions, useApp } from '../store';
import { renderDiagnostic, renderShort } from '../editor/diagnostics';
import type { DeviceData, HostData, MachineData, NetfilterData, ObjectWarning, PodData, ServiceData, UnderlayData } from './flow';
import { FitText } from './FitText';

/**
 * Below this zoom a node's text is under 4 px tall: unreadable, yet each line, each ellipsis
 * box and each edge label is work for the browser on every frame that re-layers the canvas
 * (a 300-Pod cluster fits at about 0.15). Far away, Pods and devices draw as plain coloured
 * boxes and links lose their labels; the title attribute still names them on hover.
 */
export const FAR_ZOOM = 0.35;
const farSelector = (s: ReactFlowState): boolean => s.transform[2] < FAR_ZOOM;
/**
 * Between FAR_ZOOM and READABLE_ZOOM a 12 px label would draw under 11 px on screen: the canvas
 * switches to its "mid" style (styles.css), where text keeps 11.5 px on screen whatever the zoom
 * (font-size divided by --knp-z) and only each node's first line is drawn. ZoomStyle sets both.
 */
export const READABLE_ZOOM = 0.96;
/** True while the canvas is zoomed out past FAR_ZOOM; re-renders only when that flips. */
export const useFar = (): boolean => useStore(farSelector);

const Handles = () => (
  <>
    <Handle type="target" position={Position.Top} className="knp-handle" isConnectable={false} />
    <Handle type="source" position={Position.Bottom} className="knp-handle" isConnectable={false} />
  </>
);

/**
 * The zoom, in the 1/40 steps ZoomStyle uses, while the cluster view is zoomed out past FAR_ZOOM
 * (Pods and devices drawn as plain boxes); 0 nearer. A machine re-renders only when it changes.
 */
const summaryZoom = (s: ReactFlowState): number => (s.transform[2] >= FAR_ZOOM ? 0 : Math.max(0.025, Math.floor(s.transform[2] * 40) / 40));

/** On-screen sizes of the summary: the largest font and the smallest one worth drawing, in px. */
const SUMMARY_PX = 15;
const SUMMARY_MIN_PX = 11;
const SUMMARY_LINE = 1.3;

/**
 * How the summary fits a machine `w` × `h` screen pixels: the font size on screen and how many
 * of its lines (name, addresses, Pod range, Pods, devices, in that order) are drawn. The font
 * shrinks to SUMMARY_MIN_PX before a line goes; the name and the addresses always stay.
 */
export function summaryFit(w: number, h: number, lines: number, longest: number): { px: number; lines: number } {
  let px = Math.min(SUMMARY_PX, Math.max(SUMMARY_MIN_PX, w / Math.max(1, longest * 0.62)));
  let n = lines;
  const tall = (k: number, f: number) => k * f * SUMMARY_LINE + 8;
  while (tall(n, px) > h && px > SUMMARY_MIN_PX) px--;
  while (tall(n, px) > h && n > 2) n--;
  return { px, lines: n };
}

/**
 * A machine seen from far away (the fitted view of a large cluster): what a learner would ask of
 * it, drawn large enough to read: its name, addresses, Pod range, how many Pods run there and its
 * network devices. Zooming in past FAR_ZOOM draws the machine's Pods and devices instead; nothing
 * is laid out again (styles.css hides the machine's contents while the summary is up).
 */
function MachineSummaryCard({ data, width, height, zoom }: { data: MachineData; width: number; height: number; zoom: number }) {
  const { t } = useTranslation();
  const s = data.summary!;
  const lines = [
    <div key="name" className="knp-summary-name">{data.title}{data.role === 'control-plane' ? ` · ${t('machine.controlPlane')}` : ''}</div>,
    <div key="ip" className="knp-mono">{s.ips.join(' · ')}</div>,
    <div key="cidr"><span className="knp-muted">{t('machine.podCIDR')}</span> <span className="knp-mono">{s.podCIDRs.join(' · ')}</span></div>,
    <div key="pods">{t('machine.pods', { count: s.pods, running: s.running })}</div>,
    <div key="dev"><span className="knp-muted">{t('machine.devices')}</span> <span className="knp-mono">{s.devices.join(' · ')}</span></div>,
  ];
  const longest = Math.max(data.title.length + 2, s.ips.join(' · ').length, 10 + s.podCIDRs.join(' · ').length);
  const fit = summaryFit(width * zoom - 16, height * zoom, lines.length, longest);
  const full = [data.title, s.ips.join(' · '), `${t('machine.podCIDR')} ${s.podCIDRs.join(' · ')}`, t('machine.pods', { count: s.pods, running: s.running }), `${t('machine.devices')} ${s.devices.join(' · ')}`].join('\n');
  return (
    <div className="knp-machine-summary" data-testid="machine-summary" data-knp-id={data.knpId} title={full} style={{ fontSize: fit.px / zoom, padding: `${4 / zoom}px ${8 / zoom}px` }}>
      {lines.slice(0, fit.lines)}
    </div>
  );
}

export const MachineNode = memo(({ data, width, height }: NodeProps<Node<MachineData>>) => {
  const z = useStore(summaryZoom);
  const far = z > 0 && !!data.summary;
  return (
    <div className={`knp-machine ${data.role} ${far ? 'summary' : ''}`} data-knp-id={data.knpId}>
      <div className="knp-machine-title" title={data.full}>
        <span className="knp-icon" aria-hidden>▣</span>
        <strong>{data.title}</strong>
        {data.role === 'control-plane' && <span className="knp-badge">control-plane</span>}
        <FitText className="knp-muted" text={data.subtitle} keep={data.cut === 'middle' ? 'middle' : 'start'} />
      </div>
      {far && <MachineSummaryCard data={data} width={width ?? 0} height={height ?? 0} zoom={z} />}
      <Handles />
    </div>
  );
});

/**
 * An object's addresses, primary family first: one per line (a Pod, a device), or side by side
 * (`row`, a Service's wider box). Each is cut in the middle when it does not fit (FitText), the
 * whole address on hover and in data-full. At mid zoom only the first is drawn (styles.css).
 */
function Addresses({ list, row = false, small = false }: { list: readonly string[]; row?: boolean; small?: boolean }) {
  return (
    <div className={`knp-mono knp-addrs ${row ? 'row' : ''} ${small ? 'knp-small' : ''}`} data-testid="addresses" data-count={list.length}>
      {/* Side by side, an IPv4 address (15 characters at most) keeps its width and the IPv6 one fits the rest. */}
      {list.map((a) => (row && !a.includes(':')
        ? <span key={a} className="knp-line fam-4" data-full={a}>{a}</span>
        : <FitText key={a} className={`knp-line fam-${a.includes(':') ? 6 : 4}`} text={a} />))}
    </div>
  );
}

export const PodNode = memo(({ data }: NodeProps<Node<PodData>>) => {
  const far = useFar();
  const dual = data.addrs.length > 1;
  const containers = `${data.namespace !== 'default' ? `${data.namespace} · ` : ''}${data.containers.join(', ')}`;
  return (
    <>
    {data.warnings?.length && !far ? <ObjectWarnings list={data.warnings} /> : null}
    <div
      className={`knp-pod ${data.system ? 'system' : ''} phase-${data.phase.toLowerCase()} ${far ? 'far' : ''} ${dual ? 'dual' : ''}`} data-knp-id={data.knpId}
      title={far ? `${data.knpId} ${data.addrs.join(' ') || data.ip}` : dual ? `${data.knpId}\n${data.addrs.join('\n')}\n${containers}` : data.knpId}
    >
      {!far && (
        <>
          <div className="knp-pod-name"><span className="knp-icon" aria-hidden>⬢</span><FitText text={data.name} /></div>
          {/* Two addresses take the containers' line, which the tooltip and the inspector keep. */}
          {dual ? <Addresses list={data.addrs} /> : <FitText className="knp-mono knp-line" text={data.ip} />}
          {!dual && <div className="knp-muted knp-small knp-ellipsis" title={['pause', ...data.containers].join(', ')}>{containers}</div>}
        </>
      )}
      <Handles />
    </div>
    </>
  );
});

export const DeviceNode = memo(({ data }: NodeProps<Node<DeviceData>>) => {
  const far = useFar();
  return (
    <div
      className={`knp-device kind-${data.kind} ${data.up ? '' : 'down'} ${far ? 'far' : ''} ${data.addrs.length > 1 ? 'dual' : ''}`} data-knp-id={data.knpId}
      title={far ? `${data.name} ${data.addr || data.kind}` : [data.detail || data.kind, ...data.all].join('\n')}
    >
      {!far && (
        <>
          <div className="knp-device-name"><span className="knp-dev-dot" aria-hidden /><FitText text={data.name} /></div>
          {data.addrs.length > 1
            ? <Addresses list={data.addrs} small />
            : <FitText className="knp-mono knp-small knp-line" text={data.addr || data.kind} />}
        </>
      )}
      <Handles />
    </div>
  );
});

export const ServiceNode = memo(({ data }: NodeProps<Node<ServiceData>>) => (
  <>
    <div className={`knp-service ${data.warnings?.length ? 'warned' : ''}`} data-knp-id={data.knpId} title={data.addrs.length > 1 ? `${data.knpId}\n${data.addrs.join('\n')}` : data.knpId}>
      <div className="knp-pod-name"><span className="knp-icon" aria-hidden>◎</span><FitText text={data.name} /><span className="knp-badge">{data.type}</span></div>
      {data.addrs.length > 1 ? <Addresses list={data.addrs} row /> : <FitText className="knp-mono knp-line" text={data.ip} />}
      <div className="knp-muted knp-small knp-mono">{data.ports.join(' ')}</div>
      <Handles />
    </div>
    {data.warnings?.length ? <ObjectWarnings list={data.warnings} /> : null}
  </>
));

/**
 * The engine's warnings about this object, drawn under it: a few words each, the whole
 * sentence on hover. A click goes to the line in the editor.
 */
function ObjectWarnings({ list }: { list: readonly ObjectWarning[] }) {
  const { i18n } = useTranslation();
  const actions = useActions();
  const lang = i18n.language === 'zh-CN' ? 'zh-CN' : 'en';
  return (
    <div className="knp-obj-warns">
      {list.map((d, i) => (
        <button
          type="button" key={`${d.code}:${i}`} className="knp-obj-warn nodrag" data-testid="object-warning" data-code={d.code}
          title={renderDiagnostic(d, lang).message} onClick={(e) => { e.stopPropagation(); actions.revealAt(d.line, d.col); }}
        >
          <span aria-hidden>⚠</span> {renderShort(d, lang)}
        </button>
      ))}
    </div>
  );
}

export const HostNode = memo(({ data }: NodeProps<Node<HostData>>) => (
  <div className="knp-host" data-knp-id={data.knpId}>
    <div className="knp-pod-name"><span className="knp-icon" aria-hidden>▭</span><FitText text={data.name} /></div>
    <FitText className="knp-mono knp-line" text={data.ip} />
    <Handles />
  </div>
));

export const UnderlayNode = memo(({ data }: NodeProps<Node<UnderlayData>>) => {
  const { t } = useTranslation();
  return (
    <div className="knp-underlay" data-knp-id={data.knpId}>
      <span>{t('canvas.underlay')}</span><span className="knp-mono">{data.cidr}</span>
      <Handles />
    </div>
  );
});

/** The hooks in the order a packet meets them (iptables -t TABLE -L CHAIN). */
const HOOKS = ['PREROUTING', 'routing', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'] as const;

/**
 * The chains a packet can meet at one hook: the built-in chain of that name in each table and
 * every user chain its rules jump (-j) or go (-g) to, in the order iptables would walk them.
 */
export function reachable(chains: readonly ChainSnap[], hook: string): ChainSnap[] {
  const byKey = new Map(chains.map((c) => [`${c.table}/${c.name}`, c]));
  const order = ['raw', 'mangle', 'nat', 'filter'];
  const out: ChainSnap[] = [];
  const seen = new Set<string>();
  const visit = (c: ChainSnap) => {
    const key = `${c.table}/${c.name}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push(c);
    for (const r of c.rules) {
      const m = /(?:^|\s)-[jg]\s+(\S+)/.exec(r.text);
      const next = m ? byKey.get(`${c.table}/${m[1]}`) : undefined;
      if (next) visit(next);
    }
  };
  for (const t of order) { const c = byKey.get(`${t}/${hook}`); if (c) visit(c); }
  return out;
}

export const NetfilterNode = memo(({ data }: NodeProps<Node<NetfilterData>>) => {
  const { t } = useTranslation();
  // A hook opens in the object inspector (its tables, chains, rules and counters), which
  // has the room for them and follows the packet during a replay.
  const actions = useActions();
  const picked = useApp(select.selected);
  const open = picked?.startsWith(`${data.knpId}/`) ? picked.slice(data.knpId.length + 1) : null;
  const chains = data.chains ?? [];
  const forHook = (h: string) => chains.filter((c) => c.name === h);
  return (
    <div className="knp-netfilter" data-knp-id={data.knpId}>
      <div className="knp-nf-title">{t('canvas.netfilter')} · {data.node}{!chains.length && <span className="knp-muted"> — {t('canvas.noRules')}</span>}</div>
      {/* One hook a line, in the order a packet meets them: the box stands as a column between the bridge and the tunnel. */}
      <div className="knp-hooks">
        {HOOKS.map((h) => (
          <span key={h} className="knp-hook-wrap">
            <button
              type="button"
              className={`knp-hook nodrag ${h === 'routing' ? 'routing' : ''} ${open === h ? 'open' : ''} ${data.activeHook === h ? 'active' : ''}`}
              data-knp-id={`${data.knpId}/${h}`}
              onClick={(e) => { e.stopPropagation(); actions.select(open === h ? null : `${data.knpId}/${h}`); }}
              aria-expanded={open === h}
            >
              {h === 'routing' ? t('canvas.routing') : h}
              {h !== 'routing' && <span className="knp-badge">{forHook(h).reduce((a, c) => a + c.rules.length, 0)}</span>}
            </button>
          </span>
        ))}
      </div>
      <Handles />
    </div>
  );
});

export const nodeTypes = {
  machine: MachineNode, pod: PodNode, device: DeviceNode, service: ServiceNode, host: HostNode, underlay: UnderlayNode, netfilter: NetfilterNode,
};
