/** The one import site for the store: the provider, the hook and the named selectors. */
import { createContext, useContext, useState } from 'react';
import { useStore } from 'zustand';
import type { AppActions, AppState, AppStore } from './store';

export { createAppStore, SPEEDS, type AppStore, type AppState, type PacketRun, type RunSource, type Reveal, type View, type SendForm, type HistoryItem, type Camera, type StorageProblem, type Notice } from './store';
export * as select from './select';
export { storyOf, stepAt, cursorOfStep, runCursors, type Story } from './story';

export const StoreContext = createContext<AppStore | null>(null);

export function useApp<T>(selector: (s: AppState & AppActions) => T): T {
  const store = useContext(StoreContext);
  if (!store) throw new Error('useApp outside <StoreContext.Provider>');
  return useStore(store, selector);
}

/** Actions never change identity, so components can take them without re-rendering. */
export function useActions(): AppActions {
  const store = useContext(StoreContext);
  if (!store) throw new Error('useActions outside <StoreContext.Provider>');
  // getState() is a new object after every change; the action functions in it never change,
  // so one captured copy is enough and keeps effects that depend on it from re-running.
  const [actions] = useState<AppActions>(() => store.getState());
  return actions;
}
