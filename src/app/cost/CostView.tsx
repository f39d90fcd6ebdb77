/**
 * The cost view (`knp cost` in the page): what the scenario's Services cost each kube-proxy mode
 * — rules a new connection checks, rules rewritten by one Service change, rules loaded, rule
 * text — as a table for the scenario and as a curve from 10 to 10,000 Services (SVG, both axes
 * logarithmic), the scenario's own point marked. Every number comes from the engine
 * (agents/kubeproxy/cost.ts) through the worker; nothing here is per scenario.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CostMode, CostReport, ModeCost } from '../../worker/protocol';
import { select, useActions, useApp } from '../store';

export const METRICS = ['newConnection', 'newConnectionWorst', 'serviceChange', 'rules', 'bytes'] as const;
export type Metric = (typeof METRICS)[number];

export function metricOf(m: ModeCost, k: Metric): number {
  switch (k) {
    case 'newConnection': return m.newConnection.mean;
    case 'newConnectionWorst': return m.newConnection.worst;
    case 'serviceChange': return m.serviceChange;
    case 'rules': return m.rules;
    case 'bytes': return m.bytes;
  }
}

const COLOR: Record<CostMode, string> = { iptables: 'var(--cost-iptables, #d9534f)', ipvs: 'var(--cost-ipvs, #2e86de)', nftables: 'var(--cost-nftables, #27ae60)' };

const fmt = (n: number, k: Metric): string =>
  k === 'bytes' ? (n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MiB` : n >= 1024 ? `${(n / 1024).toFixed(1)} KiB` : `${Math.round(n)} B`)
    : n >= 1000 ? Math.round(n).toLocaleString('en') : String(Math.round(n * 10) / 10);

/** Ticks at powers of ten covering [lo, hi]. */
function decades(lo: number, hi: number): number[] {
  const out: number[] = [];
  for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) out.push(10 ** e);
  return out;
}

const W = 560;
const H = 260;
const PAD = { l: 64, r: 16, t: 12, b: 36 };

export function CostChart({ report, metric }: { report: CostReport; metric: Metric }) {
  const { t } = useTranslation();
  const xs = report.curve.map((p) => p.services);
  const xLo = xs[0] ?? 10;
  const xHi = Math.max(xs[xs.length - 1] ?? 10_000, report.services);
  // The curve starts at 10 Services; a smaller scenario's point is drawn at the curve's start
  // (its values are its own), with a note, rather than left of every line.
  const here = Math.max(xLo, report.services);
  const clamped = report.services < xLo;
  const values = [...report.curve.flatMap((p) => p.modes.map((m) => metricOf(m, metric))), ...report.current.map((m) => metricOf(m, metric))].filter((v) => v > 0);
  const yLo = 10 ** Math.floor(Math.log10(Math.min(...values, 1)));
  const yHi = 10 ** Math.ceil(Math.log10(Math.max(...values, 10)));
  const x = (v: number) => PAD.l + ((Math.log10(v) - Math.log10(xLo)) / (Math.log10(xHi) - Math.log10(xLo) || 1)) * (W - PAD.l - PAD.r);
  const y = (v: number) => H - PAD.b - ((Math.log10(Math.max(v, yLo)) - Math.log10(yLo)) / (Math.log10(yHi) - Math.log10(yLo) || 1)) * (H - PAD.t - PAD.b);
  const modes = report.current.map((m) => m.mode);
  return (
    <svg className="knp-cost-chart" data-testid="cost-chart" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={t('cost.chart')} data-metric={metric}>
      {decades(xLo, xHi).filter((v) => v >= xLo && v <= xHi).map((v) => (
        <g key={`x${v}`}>
          <line x1={x(v)} x2={x(v)} y1={PAD.t} y2={H - PAD.b} className="knp-cost-grid" />
          <text x={x(v)} y={H - PAD.b + 14} textAnchor="middle" className="knp-cost-tick">{v.toLocaleString('en')}</text>
        </g>
      ))}
      {decades(yLo, yHi).map((v) => (
        <g key={`y${v}`}>
          <line x1={PAD.l} x2={W - PAD.r} y1={y(v)} y2={y(v)} className="knp-cost-grid" />
          <text x={PAD.l - 6} y={y(v) + 4} textAnchor="end" className="knp-cost-tick">{fmt(v, metric)}</text>
        </g>
      ))}
      <text x={(PAD.l + W - PAD.r) / 2} y={H - 4} textAnchor="middle" className="knp-cost-axis">{t('cost.xAxis')}</text>
      {modes.map((mode) => (
        <polyline key={mode} data-testid="cost-line" data-mode={mode} fill="none" stroke={COLOR[mode]} strokeWidth={2}
          points={report.curve.map((p) => { const m = p.modes.find((q) => q.mode === mode); return m ? `${x(p.services).toFixed(1)},${y(metricOf(m, metric)).toFixed(1)}` : ''; }).join(' ')} />
      ))}
      <g data-testid="cost-current" data-services={report.services} data-clamped={clamped}>
        <line x1={x(here)} x2={x(here)} y1={PAD.t} y2={H - PAD.b} className="knp-cost-here" />
        <text x={x(here) + 4} y={PAD.t + 10} className="knp-cost-tick">{t('cost.here')} · {report.services}</text>
        {clamped && <text x={x(here) + 4} y={PAD.t + 24} className="knp-cost-tick" data-testid="cost-clamped">{t('cost.clamped', { services: report.services, start: xLo })}</text>}
        {report.current.map((m) => (
          <circle key={m.mode} cx={x(here)} cy={y(metricOf(m, metric))} r={4.5} fill={COLOR[m.mode]} stroke="var(--panel, #fff)" strokeWidth={1.5}>
            <title>{`${t(`cost.mode.${m.mode}`)}: ${fmt(metricOf(m, metric), metric)}`}</title>
          </circle>
        ))}
      </g>
    </svg>
  );
}

export function CostView({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const actions = useActions();
  const snap = useApp(select.snapshot);
  const [report, setReport] = useState<CostReport | null | undefined>(undefined);
  const [metric, setMetric] = useState<Metric>('newConnection');

  useEffect(() => {
    if (!snap) return;
    let alive = true;
    void actions.cost().then((r) => { if (alive) setReport(r); });
    return () => { alive = false; };
  }, [actions, snap?.generation]);

  return (
    <aside className="knp-cost" data-testid="cost-view" aria-label={t('cost.title')} data-ready={report !== undefined}>
      <div className="knp-panel-head">
        <strong>{t('cost.title')}</strong>
        <span className="knp-spacer" />
        <button type="button" className="knp-icon-btn" aria-label={t('cost.close')} onClick={onClose}>✕</button>
      </div>
      <div className="knp-cost-body">
        {report === undefined && <p className="knp-history-hint">{t('cost.loading')}</p>}
        {report === null && <p className="knp-history-hint">{t('cost.none')}</p>}
        {report && (
          <>
            <p className="knp-history-hint" data-testid="cost-scenario">
              {t('cost.scenario', { services: report.services, ports: report.servicePorts, endpoints: report.endpointsPerService, mode: report.mode })}
            </p>
            <table className="knp-cost-table" data-testid="cost-table">
              <thead>
                <tr>
                  <th>{t('cost.figure')}</th>
                  {report.current.map((m) => (
                    <th key={m.mode} data-mode={m.mode} className={m.mode === report.mode ? 'running' : ''}>
                      <span className="knp-cost-swatch" style={{ background: COLOR[m.mode] }} aria-hidden /> {t(`cost.mode.${m.mode}`)}
                      {m.mode === report.mode && <small> · {t('cost.running')}</small>}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {METRICS.map((k) => (
                  <tr key={k} className={k === metric ? 'on' : ''} data-metric={k}>
                    <th>
                      <button type="button" className="knp-link-btn" data-testid="cost-metric" aria-pressed={k === metric} title={t(`cost.explain.${k}`)} onClick={() => setMetric(k)}>{t(`cost.metric.${k}`)}</button>
                    </th>
                    {report.current.map((m) => <td key={m.mode} className="knp-mono">{fmt(metricOf(m, k), k)}</td>)}
                  </tr>
                ))}
              </tbody>
            </table>
            <p className="knp-history-hint">{t(`cost.explain.${metric}`)}</p>
            <CostChart report={report} metric={metric} />
            <p className="knp-history-hint">{t('cost.chart')}</p>
          </>
        )}
      </div>
    </aside>
  );
}
