/**
 * The reachability matrix (what `knp reach` prints): rows are sources, columns destinations,
 * grouped by namespace; a cell is green when the packet reached the Pod. Clicking a cell sends
 * that packet with the Send form and opens its trace, where the rule that decided it shows.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ReachAnswer } from '../../worker/protocol';
import { select, useActions, useApp } from '../store';

export function ReachMatrix({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const actions = useActions();
  const snap = useApp(select.snapshot);
  const [port, setPort] = useState('80');
  const [protocol, setProtocol] = useState<'TCP' | 'UDP' | 'SCTP'>('TCP');
  const [m, setM] = useState<ReachAnswer | null>(null);
  const [busy, setBusy] = useState(false);
  const portNum = Number(port);
  const portOk = Number.isInteger(portNum) && portNum >= 1 && portNum <= 65535;

  useEffect(() => {
    if (!portOk || !snap) return;
    let alive = true;
    setBusy(true);
    void actions.reach(portNum, protocol).then((r) => { if (alive) { if (r) setM(r); setBusy(false); } });
    return () => { alive = false; };
  }, [actions, portNum, portOk, protocol, snap?.generation]);

  const open = async (i: number, j: number) => {
    if (!m || m.protocol === 'SCTP') return;
    actions.setSend({ from: `pod/${m.pods[i]}`, to: `${m.ips[j]}:${m.port}`, port: String(m.port), protocol: m.protocol === 'UDP' ? 'udp' : 'tcp', count: 1 });
    await actions.sendPacket();
  };
  const short = (p: string) => p.split('/')[1] ?? p;

  return (
    <aside className="knp-reach" data-testid="reach-matrix" aria-label={t('share.reach.title')} data-busy={busy}>
      <div className="knp-panel-head">
        <strong>{t('share.reach.title')}</strong>
        <label className="knp-inline">{t('share.reach.port')}
          <input name="reach-port" value={port} size={5} inputMode="numeric" onChange={(e) => setPort(e.target.value.trim())} aria-invalid={!portOk} />
        </label>
        <select name="reach-protocol" value={protocol} onChange={(e) => setProtocol(e.target.value as 'TCP' | 'UDP' | 'SCTP')} aria-label={t('share.reach.protocol')}>
          <option value="TCP">TCP</option><option value="UDP">UDP</option><option value="SCTP">SCTP</option>
        </select>
        <span className="knp-spacer" />
        <button type="button" className="knp-icon-btn" aria-label={t('share.close')} onClick={onClose}>✕</button>
      </div>
      <p className="knp-history-hint">{t('share.reach.hint')}{m ? ` ${t(`share.reach.${m.decidedBy}`)}` : ''}</p>
      {m && m.pods.length === 0 && <p className="knp-history-hint">{t('share.reach.none')}</p>}
      {m && m.pods.length > 0 && (
        <div className="knp-reach-grid">
          <table>
            <thead>
              <tr><th className="knp-reach-corner">{t('share.reach.fromTo')}</th>{m.pods.map((p) => <th key={p} title={p} className="knp-reach-col"><span>{short(p)}</span><small>{p.split('/')[0]}</small></th>)}</tr>
            </thead>
            <tbody>
              {m.pods.map((from, i) => (
                <tr key={from}>
                  <th title={from}>{short(from)} <small>{from.split('/')[0]}</small></th>
                  {m.pods.map((to, j) => {
                    const allowed = m.matrix[i]![j]!;
                    return (
                      <td key={to}>
                        <button type="button" data-testid="reach-cell" data-from={`pod/${from}`} data-to={`pod/${to}`} data-allowed={allowed}
                          className={allowed ? 'allowed' : 'denied'} disabled={m.protocol === 'SCTP'}
                          title={`${from} → ${to} ${m.protocol}/${m.port}: ${allowed ? t('share.reach.allowed') : t('share.reach.denied')}`}
                          onClick={() => void open(i, j)}>{allowed ? '✓' : '✕'}</button>
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </aside>
  );
}
