/**
 * Where the learner's work is kept in the browser: IndexedDB, or localStorage when IndexedDB
 * cannot be opened (some private windows), or nowhere (then `problem` says why and the
 * playground keeps working in memory). Values are JSON-able; writes report a full disk
 * instead of throwing.
 */
export type WriteOutcome = 'ok' | 'full' | 'unavailable';

export interface WorkStorage {
  readonly kind: 'indexeddb' | 'localstorage' | 'memory';
  get<T>(key: string): Promise<T | undefined>;
  set(key: string, value: unknown): Promise<WriteOutcome>;
}

const DB = 'knp';
const STORE = 'work';
const PREFIX = 'knp.work.';

export async function openStorage(opts: { indexedDB?: IDBFactory | null; localStorage?: Storage | null } = {}): Promise<WorkStorage> {
  const idb = opts.indexedDB === undefined ? globalThis.indexedDB : opts.indexedDB;
  if (idb) {
    const db = await openDb(idb).catch(() => null);
    if (db) return idbStorage(db);
  }
  let ls: Storage | null = null;
  try {
    ls = opts.localStorage === undefined ? globalThis.localStorage : opts.localStorage;
    if (ls) { ls.setItem(`${PREFIX}probe`, '1'); ls.removeItem(`${PREFIX}probe`); }
  } catch (e) {
    ls = isQuota(e) && ls ? ls : null;
  }
  return ls ? lsStorage(ls) : memoryStorage();
}

function openDb(idb: IDBFactory): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    let req: IDBOpenDBRequest;
    try { req = idb.open(DB, 1); } catch (e) { reject(e); return; }
    req.onupgradeneeded = () => { req.result.createObjectStore(STORE); };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
    req.onblocked = () => reject(new Error('blocked'));
  });
}

function idbStorage(db: IDBDatabase): WorkStorage {
  return {
    kind: 'indexeddb',
    get: <T,>(key: string) => new Promise<T | undefined>((resolve) => {
      try {
        const r = db.transaction(STORE, 'readonly').objectStore(STORE).get(key);
        r.onsuccess = () => resolve(r.result as T | undefined);
        r.onerror = () => resolve(undefined);
      } catch { resolve(undefined); }
    }),
    set: (key, value) => new Promise<WriteOutcome>((resolve) => {
      try {
        const tx = db.transaction(STORE, 'readwrite');
        tx.objectStore(STORE).put(value, key);
        tx.oncomplete = () => resolve('ok');
        tx.onabort = tx.onerror = () => resolve(tx.error?.name === 'QuotaExceededError' ? 'full' : 'unavailable');
      } catch (e) { resolve(isQuota(e) ? 'full' : 'unavailable'); }
    }),
  };
}

function lsStorage(ls: Storage): WorkStorage {
  return {
    kind: 'localstorage',
    get: async <T,>(key: string) => {
      try {
        const v = ls.getItem(PREFIX + key);
        return v === null ? undefined : (JSON.parse(v) as T);
      } catch { return undefined; }
    },
    set: async (key, value) => {
      try { ls.setItem(PREFIX + key, JSON.stringify(value)); return 'ok'; } catch (e) { return isQuota(e) ? 'full' : 'unavailable'; }
    },
  };
}

/** Nothing persists: the page keeps working, and says work is not saved. */
export function memoryStorage(): WorkStorage {
  const m = new Map<string, unknown>();
  return {
    kind: 'memory',
    get: async <T,>(key: string) => m.get(key) as T | undefined,
    set: async (key, value) => { m.set(key, value); return 'unavailable'; },
  };
}

function isQuota(e: unknown): boolean {
  return e instanceof Error && (e.name === 'QuotaExceededError' || e.name === 'NS_ERROR_DOM_QUOTA_REACHED' || /quota/i.test(e.message));
}
