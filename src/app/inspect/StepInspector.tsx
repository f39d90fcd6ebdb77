/**
 * Packet Tracer's in/out view for the current story step: the packet as it arrived at this
 * step's device (`inspector-in`) and as it left (`inspector-out`), the fields this hop changed
 * marked on the out side, and the engine's badges for what happened here only.
 */
import { useTranslation } from 'react-i18next';
import { select, storyOf, useApp } from '../store';
import { changes } from './layers';
import { PacketLayers } from './PacketLayers';
import { StepBadges, useStepText } from './StoryList';

export function StepInspector() {
  const { t } = useTranslation();
  const run = useApp(select.primaryRun);
  const k = useApp(select.currentStep);
  const text = useStepText();
  const story = run ? storyOf(run.trace) : null;
  const step = story?.steps[k];
  if (!run || !story || !step) return <p className="knp-muted knp-pad">{t('inspector.noEvent')}</p>;
  const at = (seq: number | undefined) => (seq === undefined ? undefined : run.trace.events[story.indexOfSeq.get(seq) ?? -1]?.packet);
  const pin = at(step.inSeq);
  const pout = at(step.outSeq);
  const same = step.inSeq === step.outSeq;
  const diff = !same ? changes(pin, pout) : { keys: new Set<string>(), kinds: [] };
  return (
    <div data-testid="step-inspector" data-step={k}>
      <div className="knp-step-sentence">{text(step)}</div>
      <div className="knp-step-meta" style={{ paddingLeft: 0 }}>
        <span className="knp-step-phase">{t(`story.phase.${step.phase}`)}</span>
        <span className={`knp-step-leg leg-${step.leg}`}>{t(`story.leg.${step.leg}`)}</span>
        <span className="knp-mono knp-small">{step.machine}{step.dev ? ` · ${step.dev}` : ''}</span>
        <StepBadges step={step} />
      </div>
      {!pin && !pout && <p className="knp-muted knp-pad">{t('story.nothing')}</p>}
      {(pin || pout) && (
        <div className="knp-inout">
          <section data-testid="inspector-in">
            <h4>{t('story.in')}</h4>
            {pin && <PacketLayers packet={pin} marked={new Set()} indent={10} />}
          </section>
          <section data-testid="inspector-out">
            <h4>{t('story.out')}</h4>
            {pout && <PacketLayers packet={pout} marked={diff.keys} indent={10} />}
          </section>
        </div>
      )}
    </div>
  );
}
