/**
 * One stage of a node's netfilter pipeline in the object inspector: the hook's tables in kernel
 * order, each chain opening into its rules with their packet counters. While a packet is replayed
 * through this node, the stage it is in lights up (and is shown) and the rule that fired is marked.
 */
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { NsSnap } from '../../worker/snapshot';
import { select, useActions, useApp } from '../store';
import { hookTables, isHook, PIPELINE, pipelinePoint, type Stage } from './hooks';

export function NetfilterHook({ ns, stage }: { ns: NsSnap; stage: Stage }) {
  const { t } = useTranslation();
  const actions = useActions();
  const ev = useApp(select.currentEvent);
  const here = pipelinePoint(ev, ns.id);
  const base = `${ns.id}/netfilter`;

  // Follow the packet: when the replay reaches another stage of this node, show that one.
  // Only a new event moves the view, so the learner can still click through the stages.
  const followed = useRef(ev);
  const follow = here?.stage;
  useEffect(() => {
    if (followed.current === ev) return;
    followed.current = ev;
    if (follow && follow !== stage) actions.select(`${base}/${follow}`);
  }, [ev, follow, stage, base, actions]);

  // Keep the rule that fired in sight as the replay walks down long kube-proxy chains.
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => { box.current?.querySelector('.fired, .knp-chain.hit')?.scrollIntoView?.({ block: 'nearest' }); }, [ev, stage]);

  const chains = ns.chains ?? [];
  const tables = isHook(stage) ? hookTables(chains, stage) : [];
  return (
    <div className="knp-nf-inspect" data-stage={stage} ref={box}>
      <ol className="knp-nf-pipeline" aria-label={t('canvas.netfilter')}>
        {PIPELINE.map((s) => (
          <li key={s}>
            <button
              type="button"
              className={`knp-hook ${s === 'routing' ? 'routing' : ''} ${s === stage ? 'open' : ''} ${s === here?.stage ? 'active' : ''}`}
              data-stage={s}
              aria-current={s === stage ? 'step' : undefined}
              onClick={() => actions.select(`${base}/${s}`)}
            >{s === 'routing' ? t('canvas.routing') : s}</button>
          </li>
        ))}
      </ol>
      <p className="knp-muted knp-small">{t(`hooks.${stage}`)}</p>
      {stage === 'routing' && here?.stage === 'routing' && ev?.type === 'route' && (
        <div className="knp-mono knp-small fired" data-fired>{t('hooks.chosen')}: {ev.detail.route ?? t('hooks.unreachable')}</div>
      )}
      {/* The main table first: the local and other tables are listed after it. */}
      {stage === 'routing' && ns.routes6 && <h4 className="knp-small">{t('inspector6.routes4')}</h4>}
      {stage === 'routing' && <pre className="knp-mono knp-small">{mainFirst(ns.routes).join('\n') || t('inspector.none')}</pre>}
      {stage === 'routing' && ns.routes6 && <><h4 className="knp-small">{t('inspector6.routes6')}</h4><pre className="knp-mono knp-small" data-testid="routes6">{mainFirst(ns.routes6).join('\n') || t('inspector.none')}</pre></>}
      {isHook(stage) && !tables.length && <div className="knp-muted knp-small">{t('canvas.noRules')}</div>}
      {tables.map((tv) => (
        <section key={tv.table} className="knp-nf-table" data-table={tv.table}>
          <h4 className="knp-mono">-t {tv.table}</h4>
          {tv.chains.map((c) => {
            const hit = here?.table === tv.table && here.chain === c.name ? here : null;
            return (
              <details key={c.name} className={`knp-chain ${hit ? 'hit' : ''}`} data-chain={`${tv.table}/${c.name}`} open={c.depth === 0 || !!hit} style={{ marginLeft: c.depth * 10 }}>
                <summary>
                  <span className="knp-mono">{c.name}</span>
                  {c.policy && <span className="knp-muted"> policy {c.policy}</span>}
                  <span className="knp-badge" title={t('canvas.rules')}>{c.rules.length}</span>
                  {hit?.verdict && <span className="knp-verdict-tag"> → {hit.verdict}</span>}
                </summary>
                {c.rules.length ? (
                  <>
                  <div className="knp-muted knp-small knp-counter-legend" data-testid="counter-legend">{t('hooks.counters')}</div>
                  <ol className="knp-rules">
                    {c.rules.map((r, i) => {
                      const fired = hit?.rule === i + 1;
                      return (
                        <li key={i} className={`knp-mono knp-small ${fired ? 'fired' : ''}`} data-fired={fired || undefined} title={t('hooks.counterTitle', { packets: r.packets, bytes: r.bytes })}>
                          <span className="knp-counter">{r.packets}</span><span className="knp-counter-bytes">{r.bytes}</span>{r.text}
                        </li>
                      );
                    })}
                  </ol>
                  </>
                ) : <div className="knp-muted knp-small">{t('hooks.emptyChain')}</div>}
              </details>
            );
          })}
        </section>
      ))}
    </div>
  );
}

/** A routing table as `ip route show table all` lists it, the main table's routes before the local and other tables'. */
function mainFirst(routes: readonly string[]): string[] {
  return [...routes].sort((a, b) => Number(/\btable\b/.test(a)) - Number(/\btable\b/.test(b)));
}
