/**
 * `knp trace FILE --from TARGET --to DEST [--proto tcp|udp|icmp] [--port N] [--json] [--story] [--lang zh-CN|en] [--pcap OUT] [--explain] [--seed N]`:
 * walks one exchange through the simulated network and prints the trace, one line per event,
 * or with --story the story (one sentence per device hop, src/engine/trace/story.ts). --json
 * prints the trace with its story under `story`. The language defaults to LC_ALL, LC_MESSAGES
 * or LANG (zh* → zh-CN), else en.
 */
import { walk } from '../../engine/index';
import { explainTrace, formatTrace } from '../../engine/trace/format';
import { tracePcap } from '../../engine/stack/pcap';
import { langFromEnv, type EngineLang } from '../../engine/i18n/messages';
import { formatStory, storyJson } from '../../engine/trace/storyFormat';
import type { Verb } from '../io';
import { loadScenarioFile, parseArgs } from '../load';

const USAGE = 'usage: knp trace FILE --from TARGET --to DEST [--proto tcp|udp|icmp] [--port N] [--count N] [--ttl N] [--header "NAME: VALUE"] [--resolve HOST:PORT:ADDR] [--json] [--story] [--lang zh-CN|en] [--pcap OUT] [--explain] [--seed N]\n';

export const trace: Verb = async (argv, io) => {
  const args = parseArgs(argv, ['seed', 'from', 'to', 'proto', 'port', 'pcap', 'count', 'ttl', 'lang', 'header', 'resolve']);
  const [file] = args.positional;
  const from = args.values.get('from');
  const to = args.values.get('to');
  if (!file || !from || !to) { io.stderr(USAGE); return 2; }
  const proto = args.values.get('proto');
  if (proto !== undefined && proto !== 'tcp' && proto !== 'udp' && proto !== 'icmp') { io.stderr(`knp: --proto must be tcp, udp or icmp, not "${proto}"\n`); return 2; }
  const langArg = args.values.get('lang');
  if (langArg !== undefined && langArg !== 'en' && langArg !== 'zh-CN') { io.stderr(`knp: --lang must be zh-CN or en, not "${langArg}"\n`); return 2; }
  const lang: EngineLang = langArg ?? langFromEnv(io.env ?? {});
  const nums: Record<string, number> = {};
  for (const k of ['port', 'count', 'ttl']) {
    const v = args.values.get(k);
    if (v === undefined) continue;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1 || (k === 'port' && n > 65535) || (k === 'ttl' && n > 255)) { io.stderr(`knp: --${k} must be a positive integer${k === 'port' ? ' up to 65535' : ''}, not "${v}"\n`); return 2; }
    nums[k] = n;
  }
  // curl's -H and --resolve: a Host header (an Ingress rule's host) and a name pinned to an address.
  const headers: Record<string, string> = {};
  const resolve: Record<string, string> = {};
  const header = args.values.get('header');
  if (header !== undefined) {
    const m = /^([A-Za-z0-9-]+):\s*(.*)$/.exec(header);
    if (!m) { io.stderr(`knp: --header must be "NAME: VALUE", not "${header}"\n`); return 2; }
    headers[m[1]!] = m[2]!;
  }
  const pin = args.values.get('resolve');
  if (pin !== undefined) {
    const m = /^([^:]+):(\d+):(\d+\.\d+\.\d+\.\d+)$/.exec(pin);
    if (!m) { io.stderr(`knp: --resolve must be HOST:PORT:ADDR, not "${pin}"\n`); return 2; }
    resolve[m[1]!] = m[3]!;
  }
  const http = header !== undefined || pin !== undefined ? { http: { ...(header !== undefined ? { headers } : {}), ...(pin !== undefined ? { resolve } : {}) } } : {};
  const built = await loadScenarioFile(io, file, args);
  if (typeof built === 'number') return built;
  const t = walk(built.sim, {
    ...http,
    from, to,
    ...(proto ? { protocol: proto } : {}),
    ...(nums['port'] !== undefined ? { port: nums['port'] } : {}),
    ...(nums['count'] !== undefined ? { count: nums['count'] } : {}),
    ...(nums['ttl'] !== undefined ? { ttl: nums['ttl'] } : {}),
  });
  if (args.flags.has('json')) io.stdout(`${JSON.stringify({ ...t, story: storyJson(t, lang) }, null, 2)}\n`);
  else if (args.flags.has('story')) io.stdout(formatStory(t, lang));
  else {
    io.stdout(formatTrace(t));
    if (args.flags.has('explain')) io.stdout(explainTrace(t));
  }
  const pcap = args.values.get('pcap');
  if (pcap) await io.writeFile(pcap, tracePcap(t, built.sim.now));
  return t.verdict === 'delivered' ? 0 : t.verdict === 'error' ? 2 : 1;
};
