/** The packet at the selected event, header by header, with this hop's changes highlighted. */
import { useTranslation } from 'react-i18next';
import { select, useApp } from '../store';
import { changes, layers } from './layers';

export function PacketInspector() {
  const { t } = useTranslation();
  const ev = useApp(select.currentEvent);
  const prev = useApp(select.previousPacketEvent);
  // Events without a packet of their own (a route lookup, a rule match) act on the last one seen.
  const packet = ev?.packet ?? prev?.packet;
  const diff = ev?.packet ? changes(prev?.packet, ev.packet) : { keys: new Set<string>(), kinds: [] };
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
              <div>{ev.summary}</div>
            </div>
            {ev.detail && Object.keys(ev.detail).length > 0 && (
              <dl className="knp-detail">
                {Object.entries(ev.detail).map(([k, v]) => (
                  <div key={k}><dt>{k}</dt><dd className="knp-mono">{typeof v === 'string' ? v : JSON.stringify(v)}</dd></div>
                ))}
              </dl>
            )}
            {!packet && <p className="knp-muted knp-pad">{t('inspector.noPacket')}</p>}
            {!ev.packet && packet && <p className="knp-muted knp-small">{t('inspector.samePacket', { seq: prev?.seq ?? '' })}</p>}
            {packet && layers(packet).map((l, i) => (
              <div key={i} className="knp-layer" style={{ marginLeft: l.depth * 14 }} data-layer={l.name}>
                <div className="knp-layer-name">{l.depth ? `${l.name} (inner)` : l.name}</div>
                <table><tbody>
                  {l.fields.map((f) => (
                    <tr key={f.key} className={diff.keys.has(f.key) ? 'changed' : ''} title={diff.keys.has(f.key) ? t('inspector.changed') : undefined}>
                      <th>{f.label}</th><td className="knp-mono">{f.value}</td>
                    </tr>
                  ))}
                </tbody></table>
              </div>
            ))}
          </>
        )}
      </div>
    </section>
  );
}
