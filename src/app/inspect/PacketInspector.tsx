/** The packet at the selected event, header by header, with this hop's changes highlighted. */
import { useDeferredValue, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useMessageText } from '../i18n/message';
import { select, useApp } from '../store';
import { changes } from './layers';
import { PacketLayers } from './PacketLayers';
import { StepInspector } from './StepInspector';

interface RuleRef { readonly index: number; readonly text: string; readonly matched?: boolean }

const isRule = (v: unknown): v is RuleRef =>
  typeof v === 'object' && v !== null && typeof (v as RuleRef).text === 'string' && typeof (v as RuleRef).index === 'number';

/** Rules evaluated by one chain: long lists (a Service's 300 endpoints) show the ends and the match. */
function RuleList({ rules }: { rules: readonly RuleRef[] }) {
  const { t } = useTranslation();
  const [all, setAll] = useState(false);
  const hit = rules.findIndex((r) => r.matched);
  const keep = (i: number) => all || rules.length <= 12 || rules[i]!.matched || i < 3 || i >= rules.length - 2 || (hit >= 0 && Math.abs(i - hit) <= 2);
  const out: ReactNode[] = [];
  let skipped = 0;
  rules.forEach((r, i) => {
    if (!keep(i)) { skipped++; return; }
    if (skipped) { out.push(<li key={`gap${i}`} className="knp-rule-gap">⋯ {t('inspector.moreRules', { count: skipped })}</li>); skipped = 0; }
    out.push(<li key={i} className={`knp-rule ${r.matched ? 'matched' : ''}`} data-matched={r.matched ? 'true' : undefined}><span className="knp-rule-n">{r.index}</span>{r.text}</li>);
  });
  if (skipped) out.push(<li key="gap-end" className="knp-rule-gap">⋯ {t('inspector.moreRules', { count: skipped })}</li>);
  return (
    <ol className="knp-detail-list">
      {out}
      {rules.length > 12 && <li><button type="button" className="knp-link" onClick={() => setAll(!all)}>{all ? t('inspector.fewerRules') : t('inspector.allRules', { count: rules.length })}</button></li>}
    </ol>
  );
}

/**
 * One value of an event's detail, readable: netfilter rules as numbered lines with the one that
 * matched marked, lists one item per line, small objects as key=value.
 */
function DetailValue({ value }: { value: unknown }) {
  if (value === null || value === undefined) return <>—</>;
  if (typeof value !== 'object') return <>{String(value)}</>;
  if (isRule(value)) return <span className="knp-rule matched">{value.index}. {value.text}</span>;
  if (Array.isArray(value)) {
    if (value.length === 0) return <>—</>;
    if (value.every(isRule)) return <RuleList rules={value} />;
    return <ol className="knp-detail-list">{value.map((item, i) => <li key={i}><DetailValue value={item} /></li>)}</ol>;
  }
  const entries = Object.entries(value as Record<string, unknown>);
  return <>{entries.map(([k, v], i) => <span key={k}>{i ? ' ' : ''}{k}={typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v)}</span>)}</>;
}

export function PacketInspector() {
  const { t } = useTranslation();
  const line = useMessageText();
  // Deferred: during a fast replay React renders the inspector between frames, after the
  // canvas has moved, and skips the steps it had no time for.
  const ev = useDeferredValue(useApp(select.currentEvent));
  const prev = useDeferredValue(useApp(select.previousPacketEvent));
  // Events without a packet of their own (a route lookup, a rule match) act on the last one seen.
  const packet = ev?.packet ?? prev?.packet;
  const diff = ev?.packet ? changes(prev?.packet, ev.packet) : { keys: new Set<string>(), kinds: [] };
  const storyView = useApp(select.storyView);
  if (storyView) {
    return (
      <section className="knp-inspector" data-testid="packet-inspector" aria-label={t('inspector.packet')}>
        <div className="knp-panel-head"><span className="knp-panel-title">{t('inspector.packet')}</span></div>
        <div className="knp-panel-body"><StepInspector /></div>
      </section>
    );
  }
  return (
    <section className="knp-inspector" data-testid="packet-inspector" aria-label={t('inspector.packet')}>
      <div className="knp-panel-head"><span className="knp-panel-title">{t('inspector.packet')}</span>
        {diff.kinds.map((k) => <span key={k} className={`knp-change change-${k}`} data-change={k}>{t(`change.${k}`)}</span>)}
      </div>
      <div className="knp-panel-body">
        {!ev && <p className="knp-muted knp-pad">{t('inspector.noEvent')}</p>}
        {ev && (
          <>
            <div className="knp-ev-summary">
              <span className={`knp-type type-${ev.type}`}>{ev.type}</span>
              <span className="knp-mono knp-small">{ev.where.ns}{ev.where.dev ? ` · ${ev.where.dev}` : ''}</span>
              <div data-testid="event-summary">{line(ev.message)}</div>
            </div>
            {ev.type === 'hook' && ev.detail?.['modelled'] === true && (
              <p className="knp-muted knp-small knp-pad" data-testid="hook-modelled">
                {t('bpfHook.modelled', { owner: String(ev.detail['owner'] ?? ''), section: String(ev.detail['section'] ?? ''), object: String(ev.detail['object'] ?? '') })}
                {' '}{t('bpfHook.point', { point: String(ev.detail['hook'] ?? '') })}
              </p>
            )}
            {ev.detail && Object.keys(ev.detail).length > 0 && (
              <dl className="knp-detail">
                {Object.entries(ev.detail).map(([k, v]) => (
                  <div key={k}><dt>{k}</dt><dd className="knp-mono"><DetailValue value={v} /></dd></div>
                ))}
              </dl>
            )}
            {!packet && <p className="knp-muted knp-pad">{t('inspector.noPacket')}</p>}
            {!ev.packet && packet && <p className="knp-muted knp-small">{t('inspector.samePacket', { seq: prev?.seq ?? '' })}</p>}
            {packet && <PacketLayers packet={packet} marked={diff.keys} indent={14} />}
          </>
        )}
      </div>
    </section>
  );
}
