/**
 * The learning side of the playground: which lesson or challenge is open, the step the learner
 * is on, what the engine said about it, and progress kept in localStorage. Every check is a
 * worker request (`check`, `goals`) against the live simulation, re-run shortly after each
 * thing the learner does (a command, a packet, an edit); nothing here reads the screen.
 */
import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { GoalResult, SharedState } from '../../engine';
import type { Lesson } from '../../engine/lessons/load';
import type { Step } from '../../engine/lessons/schema';
import type { CheckResult } from '../../engine/lessons/run';
import type { EngineClient } from '../../worker/client';
import type { AppStore } from '../store';
import type { ChallengeInfo } from './content';

export type Panel = 'closed' | 'course' | 'lesson' | 'challenge';
/** The part of the page "next step" points at. */
export type Spot = 'terminal' | 'send-packet' | 'editor' | 'event-list' | 'lesson-choices';

export interface LearnState {
  readonly panel: Panel;
  readonly gallery: boolean;
  readonly lesson: Lesson | null;
  /** Index of the step the learner is on; steps.length when the lesson is finished. */
  readonly stepIdx: number;
  readonly checking: boolean;
  /** The engine's word on the current step's last check (a failing prediction says why). */
  readonly lastCheck: CheckResult | null;
  /** Lesson id → ids of the steps done (kept across visits). */
  readonly progress: Readonly<Record<string, readonly string[]>>;
  readonly solved: readonly string[];
  readonly challenge: ChallengeInfo | null;
  readonly hintsShown: number;
  readonly goals: readonly Omit<GoalResult, 'trace'>[] | null;
  /** The spot "next step" highlights, and a counter so the same spot flashes again. */
  readonly attention: { readonly spot: Spot; readonly n: number } | null;
  /**
   * While a lesson or challenge is open, the editor may be folded away to a bar. A lesson opens
   * with it folded (its text gets the column's height; a step that points at the editor, or
   * the bar, opens it); a challenge, solved in the editor, opens with it open.
   */
  readonly editorFolded: boolean;
}

export interface LearnActions {
  openCourse(): void;
  close(): void;
  setGallery(open: boolean): void;
  openLesson(id: string): Promise<void>;
  openChallenge(name: string): Promise<void>;
  openScenario(name: string): Promise<void>;
  /** Answers the current prediction step; the walk that decides is shown as the replay. */
  answer(choice: string): Promise<void>;
  /** Points at where the current step is done (and opens the terminal on its target). */
  next(): void;
  showHint(): void;
  foldEditor(folded: boolean): void;
  /** Checks the current step / the challenge's goals now. */
  recheck(): Promise<void>;
  /**
   * Opens the lesson or challenge a share link carries, at its step with its progress, over
   * the scenario the link already built (its YAML and journal are the learner's moment, so
   * the lesson's own scenario is not loaded again).
   */
  resume(l: SharedLearn): Promise<void>;
}

export type SharedLearn = NonNullable<SharedState['learn']>;

/** What a share link carries of the learning panel (nothing when it is closed). */
export function shareLearn(s: LearnState): SharedLearn | undefined {
  if (s.panel === 'lesson' && s.lesson) {
    return { kind: 'lesson', id: s.lesson.id, step: s.stepIdx, done: [...(s.progress[s.lesson.id] ?? [])] };
  }
  if (s.panel === 'challenge' && s.challenge) {
    return { kind: 'challenge', name: s.challenge.name, seed: s.challenge.seed, variables: { ...s.challenge.variables }, hints: s.hintsShown };
  }
  return undefined;
}

export type LearnStore = StoreApi<LearnState & LearnActions>;

const PROGRESS = 'knp.lessons.progress';
const SOLVED = 'knp.challenges.solved';

function readJson<T>(key: string, fallback: T): T {
  try {
    const v = JSON.parse(globalThis.localStorage?.getItem(key) ?? 'null') as unknown;
    return v && typeof v === 'object' ? (v as T) : fallback;
  } catch { return fallback; }
}
const writeJson = (key: string, v: unknown): void => { try { globalThis.localStorage?.setItem(key, JSON.stringify(v)); } catch { /* private mode: progress lives for this visit */ } };

export function stepSpot(step: Step): Spot {
  switch (step.do) {
    case 'command': return 'terminal';
    case 'packet': return 'send-packet';
    case 'edit': return 'editor';
    case 'predict': return 'lesson-choices';
    case 'observe': return step.solution.some((a) => 'send' in a) ? 'send-packet' : step.solution.some((a) => 'run' in a) ? 'terminal' : 'event-list';
  }
}

export function createLearnStore(client: EngineClient, app: AppStore, opts: { debounceMs?: number } = {}): LearnStore {
  const debounceMs = opts.debounceMs ?? 350;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let seq = 0;
  let attention = 0;
  const content = () => import('./content');
  let scheduleRef: () => void = () => undefined;

  const store = createStore<LearnState & LearnActions>()((set, get) => {
    const current = (): Step | null => get().lesson?.steps.steps[get().stepIdx] ?? null;

    const markDone = (lessonId: string, stepId: string): void => {
      const done = get().progress[lessonId] ?? [];
      if (done.includes(stepId)) return;
      const progress = { ...get().progress, [lessonId]: [...done, stepId] };
      writeJson(PROGRESS, progress);
      set({ progress });
    };

    const advance = async (): Promise<void> => {
      const s = get();
      const step = current();
      if (!s.lesson || !step) return;
      markDone(s.lesson.id, step.id);
      set({ stepIdx: s.stepIdx + 1, lastCheck: null });
      await client.beginStep();
      const nextStep = current();
      if (nextStep?.target) app.getState().setTerminalTarget(nextStep.target);
      // A state the learner already made may hold the next step too.
      if (nextStep && nextStep.do !== 'predict') schedule();
    };

    const checkLesson = async (): Promise<void> => {
      const step = current();
      const lessonId = get().lesson?.id;
      if (!step || step.do === 'predict') return;
      const mine = ++seq;
      set({ checking: true });
      const r = await client.check(step);
      if (mine !== seq || get().lesson?.id !== lessonId || current() !== step) return;
      set({ checking: false });
      if (!r.ok) return;
      set({ lastCheck: r.value.result });
      if (r.value.result.pass) await advance();
    };

    const checkGoals = async (): Promise<void> => {
      const name = get().challenge?.name;
      if (!name) return;
      const mine = ++seq;
      set({ checking: true });
      const r = await client.goals();
      if (mine !== seq || get().challenge?.name !== name) return;
      set({ checking: false });
      if (!r.ok) return;
      set({ goals: r.value.results });
      if (r.value.results.length && r.value.results.every((g) => g.pass) && !get().solved.includes(name)) {
        const solved = [...get().solved, name];
        writeJson(SOLVED, solved);
        set({ solved });
      }
    };

    function schedule(): void {
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => { timer = null; void get().recheck(); }, debounceMs);
    }
    scheduleRef = schedule;

    return {
      panel: 'closed',
      gallery: false,
      lesson: null,
      stepIdx: 0,
      checking: false,
      lastCheck: null,
      progress: readJson(PROGRESS, {}),
      solved: readJson<string[]>(SOLVED, []),
      challenge: null,
      hintsShown: 0,
      goals: null,
      attention: null,
      editorFolded: false,

      openCourse() { set({ panel: 'course', gallery: false }); },
      close() { set({ panel: 'closed', lesson: null, challenge: null, goals: null, lastCheck: null }); },
      setGallery(open) { set({ gallery: open }); },

      async openLesson(id) {
        const lesson = await (await content()).lesson(id);
        if (!lesson) return;
        seq++;
        set({ panel: 'lesson', gallery: false, lesson, challenge: null, goals: null, stepIdx: 0, lastCheck: null, checking: false, attention: null, editorFolded: true });
        await app.getState().openScenario(lesson.scenario);
        await client.beginStep();
        const first = lesson.steps.steps[0];
        if (first?.target) app.getState().setTerminalTarget(first.target);
      },

      async openChallenge(name) {
        const info = await (await content()).challenge(name, app.getState().seed);
        seq++;
        // A challenge is solved by editing: its editor starts unfolded.
        set({ panel: 'challenge', gallery: false, challenge: info, lesson: null, goals: null, hintsShown: 0, lastCheck: null, attention: null, editorFolded: false });
        await app.getState().openScenario(info.yaml);
        await checkGoals();
      },

      async openScenario(name) {
        const yaml = await (await content()).scenario(name);
        seq++;
        set({ gallery: false, ...(get().panel === 'course' ? {} : { panel: 'closed' as Panel, lesson: null, challenge: null, goals: null }) });
        await app.getState().openScenario(yaml);
      },

      async answer(choice) {
        const step = current();
        if (!step || step.do !== 'predict') return;
        set({ checking: true });
        const r = await client.check(step, choice);
        set({ checking: false });
        if (!r.ok) return;
        set({ lastCheck: r.value.result });
        if (r.value.trace && 'predict' in step.check) {
          const p = step.check.predict.packet;
          const req = { from: p.from, to: p.to, ...(p.protocol ? { protocol: p.protocol } : {}), ...(p.port !== undefined ? { port: p.port } : {}) };
          app.getState().showTrace(`${p.from} → ${p.to}`, r.value.trace, { kind: 'send', req, count: 1 });
        }
        if (r.value.result.pass) await advance();
      },

      next() {
        const step = current();
        if (!step) return;
        const spot = stepSpot(step);
        if (step.target) app.getState().setTerminalTarget(step.target);
        if (spot === 'send-packet') {
          // The packet's ends come from the step's own description of it; the learner still sends it.
          const send = step.solution.find((a): a is Extract<typeof a, { send: unknown }> => 'send' in a)?.send;
          if (send) {
            app.getState().setSend({
              from: send.from, to: send.to, port: send.port !== undefined ? String(send.port) : '',
              protocol: send.protocol ?? (send.port !== undefined || /:\d+$/.test(send.to) || /^https?:/.test(send.to) ? 'tcp' : 'icmp'),
              count: send.count ?? 1,
            });
          }
        }
        // "Show me where" never points at something folded away.
        set({ attention: { spot, n: ++attention }, ...(spot === 'editor' ? { editorFolded: false } : {}) });
      },

      foldEditor(folded) { set({ editorFolded: folded }); },

      showHint() { set({ hintsShown: Math.min(get().hintsShown + 1, get().challenge?.hints.length ?? 0) }); },

      async resume(l) {
        const c = await content();
        seq++;
        if (l.kind === 'lesson') {
          const lesson = await c.lesson(l.id);
          if (!lesson) return;
          const known = new Set(lesson.steps.steps.map((x) => x.id));
          const done = [...new Set([...(get().progress[l.id] ?? []), ...l.done.filter((x) => known.has(x))])];
          const progress = { ...get().progress, [l.id]: done };
          writeJson(PROGRESS, progress);
          set({ panel: 'lesson', gallery: false, lesson, challenge: null, goals: null, stepIdx: Math.min(l.step, lesson.steps.steps.length), lastCheck: null, checking: false, attention: null, progress, editorFolded: true });
          await client.beginStep();
          const step = current();
          if (step?.target) app.getState().setTerminalTarget(step.target);
          if (step && step.do !== 'predict') schedule();
          return;
        }
        if (!c.challengeNames.includes(l.name)) return;
        const info = await c.challenge(l.name, l.seed);
        set({ panel: 'challenge', gallery: false, challenge: info, lesson: null, goals: null, hintsShown: Math.min(l.hints, info.hints.length), lastCheck: null, attention: null });
        await checkGoals();
      },

      async recheck() {
        if (get().panel === 'lesson') await checkLesson();
        else if (get().panel === 'challenge') await checkGoals();
      },
    };
  });

  app.subscribe((s, prev) => {
    if (store.getState().panel !== 'lesson' && store.getState().panel !== 'challenge') return;
    if (s.snapshot !== prev.snapshot || s.runs !== prev.runs || s.execs !== prev.execs) scheduleRef();
  });
  return store;
}

export const LearnContext = createContext<LearnStore | null>(null);

export function useLearn<T>(selector: (s: LearnState & LearnActions) => T): T {
  const store = useContext(LearnContext);
  if (!store) throw new Error('useLearn outside <LearnContext.Provider>');
  return useStore(store, selector);
}
