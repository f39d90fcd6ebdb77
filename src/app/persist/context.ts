/** The session (autosave, history, opening links and files) for components that need it. */
import { createContext, useContext } from 'react';
import type { Session } from './session';

export const SessionContext = createContext<Session | null>(null);

/** null before the session has started or in tests without one. */
export function useSession(): Session | null {
  return useContext(SessionContext);
}
