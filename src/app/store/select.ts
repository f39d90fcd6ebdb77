/** Named selectors: each component states what it reads, and derived values live in one place. */
import type { Diagnostic, TraceEvent } from '../../engine';
import type { AppState, PacketRun } from './store';
import { runCursors, stepAt } from './story';

export const yaml = (s: AppState) => s.yaml;
export const status = (s: AppState) => s.status;
export const notice = (s: AppState) => s.notice;
export const diagnostics = (s: AppState) => s.diagnostics;
export const snapshot = (s: AppState) => s.snapshot;
export const commands = (s: AppState) => s.commands;
export const view = (s: AppState) => s.view;
export const positions = (s: AppState) => s.positions;
export const selected = (s: AppState) => s.selected;
export const expanded = (s: AppState) => s.expanded;
export const runs = (s: AppState) => s.runs;
export const cursor = (s: AppState) => s.cursor;
export const playing = (s: AppState) => s.playing;
export const speed = (s: AppState) => s.speed;
export const loop = (s: AppState) => s.loop;
export const eventFilter = (s: AppState) => s.eventFilter;
export const storyView = (s: AppState) => s.storyView;
export const sending = (s: AppState) => s.sending;
export const send = (s: AppState) => s.send;
export const terminalTarget = (s: AppState) => s.terminalTarget;
export const theme = (s: AppState) => s.theme;
export const lang = (s: AppState) => s.lang;
export const resets = (s: AppState) => s.resets;
export const primary = (s: AppState) => s.primary;

export const primaryRun = (s: AppState): PacketRun | null => s.runs[s.primary] ?? null;

/** The story step the cursor is in, in the followed run (-1 without one). */
export const currentStep = (s: AppState): number => {
  const t = s.runs[s.primary]?.trace;
  return t ? stepAt(t, s.cursor) : -1;
};

/** The event under the cursor in the followed run. */
export const currentEvent = (s: AppState): TraceEvent | null => s.runs[s.primary]?.trace.events[s.cursor] ?? null;

/** The event before the cursor that carried a packet (what "changed here" compares against). */
export const previousPacketEvent = (s: AppState): TraceEvent | null => {
  const evs = s.runs[s.primary]?.trace.events ?? [];
  for (let i = s.cursor - 1; i >= 0; i--) if (evs[i]?.packet) return evs[i]!;
  return null;
};

export const errorCount = (s: AppState): number => s.diagnostics.filter((d) => d.severity === 'error').length;

/** What the problems panel lists and the header counts: errors first, then warnings, by position. */
export const problems = (s: AppState): Diagnostic[] => s.diagnostics
  .filter((d) => d.severity === 'error' || d.severity === 'warning')
  .sort((a, b) => Number(a.severity !== 'error') - Number(b.severity !== 'error') || a.line - b.line || a.col - b.col);
export const problemCount = (s: AppState): number => s.diagnostics.filter((d) => d.severity === 'error' || d.severity === 'warning').length;

/** The followed run was walked on other YAML than the editor holds now. */
export const stale = (s: AppState): boolean => { const r = s.runs[s.primary]; return !!r && r.yaml !== s.yaml; };
export const cameraFollow = (s: AppState) => s.cameraFollow;
export const reveal = (s: AppState) => s.reveal;
export const editing = (s: AppState) => s.editing;

/** Every place a command can run, for the terminal's target picker and completion. */
export const targets = (s: Pick<AppState, 'snapshot'>): string[] => {
  const snap = s.snapshot;
  if (!snap) return ['workstation'];
  return [...snap.nodes.map((n) => n.id), ...snap.pods.filter((p) => !p.hostNetwork).map((p) => p.id), ...snap.hosts.map((h) => h.id), 'workstation'];
};
export const execs = (s: AppState) => s.execs;

export const journal = (s: AppState) => s.journal;
export const history = (s: AppState) => s.history;
export const storageProblem = (s: AppState) => s.storageProblem;
export const linkError = (s: AppState) => s.linkError;
export const cameraGoto = (s: AppState) => s.cameraGoto;

/** The event each run shows now (null before the first): by story step in the story view (story.ts runCursors). */
export const runEvents = (s: AppState): (TraceEvent | null)[] => {
  const cursors = runCursors(s.runs.map((r) => r.trace), s.primary, s.cursor, s.storyView);
  return s.runs.map((r, i) => (cursors[i]! < 0 ? null : r.trace.events[cursors[i]!] ?? null));
};
