/**
 * Share links, version 1: the whole moment of a playground (the YAML, the journal of
 * state-changing terminal commands, the Send form or probe, the playhead, the view and camera,
 * the language, the open lesson or challenge and its progress) as JSON, zlib-compressed with fflate (adler32 catches truncation) and written
 * base64url into a URL fragment:  #v=1&d=<data>.
 *
 * A link is data only: decoding parses it with a schema and never runs, renders or fetches
 * anything it holds. Pure TypeScript, shared by the app (`src/app`) and the CLI
 * (`knp share` / `knp open`). The same payload as JSON text is a `.knp` file.
 */
import { inflateSync as inflateRaw, strFromU8, strToU8, unzlibSync, zlibSync } from 'fflate';
import { z } from 'zod';

/** The link format this build writes; links with a higher `v` are refused, not guessed at. */
export const LINK_VERSION = 1;

/** Past this many characters of fragment the app offers a `.knp` file instead of a link. */
export const MAX_FRAGMENT = 8 * 1024;

/** One terminal command that changed the simulation, in the order it was typed. */
export interface JournalEntry {
  /** Where it ran: node/NAME, pod/NS/NAME, host/NAME or workstation. */
  readonly target: string;
  readonly line: string;
}

const journalEntry = z.object({ target: z.string().max(300), line: z.string().max(4000) }).strict();

const sharedSchema = z.object({
  yaml: z.string().max(2_000_000),
  journal: z.array(journalEntry).max(5000),
  send: z.object({
    from: z.string().max(300),
    to: z.string().max(300),
    port: z.string().max(20),
    protocol: z.enum(['tcp', 'udp', 'icmp']),
    count: z.number().int().min(1).max(50),
  }).strict().optional(),
  /** The probe whose runs were shown, by name. */
  probe: z.string().max(300).optional(),
  /** Story step (event index) of the followed run. */
  playhead: z.number().int().min(-1).max(1_000_000).optional(),
  view: z.union([
    z.object({ kind: z.literal('cluster') }).strict(),
    z.object({ kind: z.literal('kernel'), node: z.string().max(300) }).strict(),
  ]).optional(),
  camera: z.object({ x: z.number().finite(), y: z.number().finite(), zoom: z.number().finite().positive() }).strict().optional(),
  lang: z.enum(['en', 'zh-CN']).optional(),
  /**
   * The lesson or challenge open in the learning panel (optional: links made before it, and
   * links with the panel closed, have none). A lesson: its id, the step the learner is on and the
   * ids of the steps done. A challenge: its name, the seed its variables were drawn with, those
   * variables as written into the YAML, and how many hints were shown.
   */
  learn: z.union([
    z.object({
      kind: z.literal('lesson'), id: z.string().max(200),
      step: z.number().int().min(0).max(10_000), done: z.array(z.string().max(200)).max(1000),
    }).strict(),
    z.object({
      kind: z.literal('challenge'), name: z.string().max(200), seed: z.number().int().min(0).max(2 ** 31),
      variables: z.record(z.string().max(100), z.string().max(300)).optional(), hints: z.number().int().min(0).max(100),
    }).strict(),
  ]).optional(),
}).strict();

export type SharedState = z.infer<typeof sharedSchema>;

export type LinkErrorCode = 'no-link' | 'corrupt' | 'newer-version' | 'invalid';

export type Decoded =
  | { readonly ok: true; readonly state: SharedState }
  | { readonly ok: false; readonly code: LinkErrorCode; readonly message: string };

const fail = (code: LinkErrorCode, message: string): Decoded => ({ ok: false, code, message });

/** The fragment (without '#') for this state. Keys are written in a fixed order: same state, same link. */
export function encodeFragment(state: SharedState): string {
  const json = JSON.stringify(canonical(state));
  return `v=${LINK_VERSION}&d=${toBase64Url(zlibSync(strToU8(json), { level: 9 }))}`;
}

/** A full link: base URL (its own fragment dropped) + '#' + fragment. */
export function encodeLink(state: SharedState, base: string): string {
  return `${base.replace(/#.*$/, '')}#${encodeFragment(state)}`;
}

/** True when a URL or fragment carries a share link (new `v=`/`d=` or the old `s=` form). */
export function hasLink(urlOrFragment: string): boolean {
  const frag = fragmentOf(urlOrFragment);
  return /(^|&)(v|d|s)=/.test(frag);
}

/**
 * Reads a link, a URL or a bare fragment. Corrupt, truncated, schema-violating or
 * newer-version links come back as an error with a stable code; nothing throws.
 */
export function decodeLink(urlOrFragment: string): Decoded {
  const frag = fragmentOf(urlOrFragment);
  const params = new Map<string, string>();
  for (const part of frag.split('&')) {
    const eq = part.indexOf('=');
    if (eq > 0) params.set(part.slice(0, eq), part.slice(eq + 1));
  }
  const legacy = params.get('s');
  if (legacy !== undefined && !params.has('v')) return decodeLegacy(legacy);
  const v = params.get('v');
  const d = params.get('d');
  if (v === undefined && d === undefined) return fail('no-link', 'there is no share link in this address');
  if (v === undefined || !/^\d{1,6}$/.test(v)) return fail('corrupt', 'the link has no readable version (v=)');
  if (Number(v) > LINK_VERSION) return fail('newer-version', `the link is version ${v}; this playground reads up to version ${LINK_VERSION}`);
  if (Number(v) < 1) return fail('corrupt', `the link version ${v} does not exist`);
  if (!d) return fail('corrupt', 'the link has no data (d=)');
  let json: string;
  try {
    const bytes = fromBase64Url(d);
    if (!bytes) return fail('corrupt', 'the link data is not base64url');
    const raw = unzlibSync(bytes);
    // fflate does not check the stream's adler32; a damaged link must not read as another state.
    if (bytes.length < 6 || adler32(raw) !== readU32(bytes, bytes.length - 4)) return fail('corrupt', 'the link data is damaged (checksum)');
    json = strFromU8(raw);
  } catch {
    return fail('corrupt', 'the link data is damaged or cut short');
  }
  return parseState(json);
}

/** A `.knp` file: the same payload as a link, as readable JSON with its version. */
export function encodeFile(state: SharedState): string {
  return `${JSON.stringify({ knp: LINK_VERSION, ...canonical(state) }, null, 2)}\n`;
}

export function decodeFile(text: string): Decoded {
  let data: unknown;
  try { data = JSON.parse(text); } catch { return fail('corrupt', 'the file is not JSON'); }
  if (!data || typeof data !== 'object' || Array.isArray(data)) return fail('invalid', 'the file is not a .knp object');
  const { knp, ...rest } = data as Record<string, unknown>;
  if (typeof knp !== 'number' || !Number.isInteger(knp) || knp < 1) return fail('invalid', 'the file has no "knp" version');
  if (knp > LINK_VERSION) return fail('newer-version', `the file is version ${knp}; this playground reads up to version ${LINK_VERSION}`);
  return check(rest);
}

function parseState(json: string): Decoded {
  let data: unknown;
  try { data = JSON.parse(json); } catch { return fail('corrupt', 'the link data is not JSON'); }
  return check(data);
}

function check(data: unknown): Decoded {
  const r = sharedSchema.safeParse(data);
  if (!r.success) {
    const issue = r.error.issues[0];
    return fail('invalid', `the link does not fit format v${LINK_VERSION}${issue ? `: ${issue.path.join('.') || '(root)'}: ${issue.message}` : ''}`);
  }
  return { ok: true, state: r.data };
}

/** The first share format (#s=<deflate-raw YAML>): still opens, as YAML with an empty journal. */
function decodeLegacy(s: string): Decoded {
  try {
    const bytes = fromBase64Url(s);
    if (!bytes) return fail('corrupt', 'the link data is not base64url');
    return check({ yaml: strFromU8(inflateRaw(bytes)), journal: [] });
  } catch {
    return fail('corrupt', 'the link data is damaged or cut short');
  }
}

function adler32(data: Uint8Array): number {
  let a = 1;
  let b = 0;
  for (let i = 0; i < data.length; i++) {
    a = (a + data[i]!) % 65521;
    b = (b + a) % 65521;
  }
  return ((b << 16) | a) >>> 0;
}

function readU32(bytes: Uint8Array, at: number): number {
  return ((bytes[at]! << 24) | (bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!) >>> 0;
}

function fragmentOf(urlOrFragment: string): string {
  const hash = urlOrFragment.indexOf('#');
  return (hash >= 0 ? urlOrFragment.slice(hash + 1) : urlOrFragment).trim();
}

function canonical(s: SharedState): SharedState {
  const out: { -readonly [K in keyof SharedState]: SharedState[K] } = { yaml: s.yaml, journal: s.journal.map((j) => ({ target: j.target, line: j.line })) };
  if (s.send) out.send = { from: s.send.from, to: s.send.to, port: s.send.port, protocol: s.send.protocol, count: s.send.count };
  if (s.probe !== undefined) out.probe = s.probe;
  if (s.playhead !== undefined) out.playhead = s.playhead;
  if (s.view) out.view = s.view.kind === 'kernel' ? { kind: 'kernel', node: s.view.node } : { kind: 'cluster' };
  if (s.camera) out.camera = { x: s.camera.x, y: s.camera.y, zoom: s.camera.zoom };
  if (s.lang) out.lang = s.lang;
  if (s.learn) {
    out.learn = s.learn.kind === 'lesson'
      ? { kind: 'lesson', id: s.learn.id, step: s.learn.step, done: [...s.learn.done] }
      : { kind: 'challenge', name: s.learn.name, seed: s.learn.seed, ...(s.learn.variables ? { variables: sortedRecord(s.learn.variables) } : {}), hints: s.learn.hints };
  }
  return out;
}

function sortedRecord(r: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.keys(r).sort().map((k) => [k, r[k]!]));
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const INDEX: Record<string, number> = Object.fromEntries([...ALPHABET].map((c, i) => [c, i]));

export function toBase64Url(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    const left = bytes.length - i;
    out += ALPHABET[(n >> 18) & 63]! + ALPHABET[(n >> 12) & 63]!;
    if (left > 1) out += ALPHABET[(n >> 6) & 63]!;
    if (left > 2) out += ALPHABET[n & 63]!;
  }
  return out;
}

/** null when the text holds a character outside base64url or has an impossible length. */
export function fromBase64Url(text: string): Uint8Array | null {
  const clean = text.replace(/=+$/, '');
  if (clean.length % 4 === 1) return null;
  const out = new Uint8Array(Math.floor((clean.length * 3) / 4));
  let o = 0;
  for (let i = 0; i < clean.length; i += 4) {
    let n = 0;
    const chunk = clean.slice(i, i + 4);
    for (let k = 0; k < 4; k++) {
      const c = chunk[k];
      const v = c === undefined ? 0 : INDEX[c];
      if (v === undefined) return null;
      n = (n << 6) | v;
    }
    out[o++] = (n >> 16) & 255;
    if (chunk.length > 2) out[o++] = (n >> 8) & 255;
    if (chunk.length > 3) out[o++] = n & 255;
  }
  return out.subarray(0, o);
}
