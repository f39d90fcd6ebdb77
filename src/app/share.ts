/** Share links: the scenario deflated with fflate into the URL hash (#s=…), and back. fflate loads on use. */

function toBase64Url(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array {
  const s = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

export async function encodeScenario(yaml: string): Promise<string> {
  const { deflateSync, strToU8 } = await import('fflate');
  return `s=${toBase64Url(deflateSync(strToU8(yaml), { level: 9 }))}`;
}

/** The scenario in a hash like "#s=…", or null when there is none or it does not decode. */
export async function decodeScenario(hash: string): Promise<string | null> {
  const m = /(?:^#?|&)s=([A-Za-z0-9_-]+)/.exec(hash);
  if (!m) return null;
  const { inflateSync, strFromU8 } = await import('fflate');
  try {
    return strFromU8(inflateSync(fromBase64Url(m[1]!)));
  } catch {
    return null;
  }
}
