/**
 * `ipvsadm -Ln` as ipvsadm 1.31 prints the kernel's table (print_service_entry): a service line
 * "PROT  ADDR:PORT SCHED [persistent N]" and one "  -> ADDR:PORT  Forward Weight ActiveConn
 * InActConn" line per real server, with printf's padding (%-28s %-7s %-6d %-10u %-10u).
 */
import type { IpvsService, IpvsState, IpvsStats } from './ipvs';
import { listServices } from './ipvs';

export const IPVS_BANNER = 'IP Virtual Server version 1.2.1 (size=4096)';

/** ipvsadm's address:port, an IPv6 address in brackets ([fd00::a]:80). */
const hostPort = (address: string, port: number): string => (address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`);

function serviceLine(vs: IpvsService): string {
  return `${vs.protocol}  ${hostPort(vs.address, vs.port)} ${vs.scheduler}${vs.persistent !== undefined ? ` persistent ${vs.persistent}` : ''}`;
}

/** ipvsadm's print_largenum: 8 columns, scaled with K/M/G once it no longer fits. */
function largenum(n: number): string {
  const units = ['', 'K', 'M', 'G', 'T'];
  let v = n;
  let u = 0;
  while (v >= 100000000 && u < units.length - 1) {
    v = Math.floor(v / 1000);
    u++;
  }
  return u === 0 ? String(v).padStart(8) : `${String(v).padStart(7)}${units[u]}`;
}

const statsCols = (s: IpvsStats): string => [s.conns, s.inPkts, s.outPkts, s.inBytes, s.outBytes].map(largenum).join(' ');

export interface IpvsadmListOptions {
  readonly stats?: boolean;
  /** Only this virtual server: "TCP|10.96.0.1|443". */
  readonly only?: string;
}

export function formatIpvsadmList(state: IpvsState | undefined, opts: IpvsadmListOptions = {}): string {
  const lines: string[] = [IPVS_BANNER];
  if (opts.stats) {
    lines.push('Prot LocalAddress:Port               Conns   InPkts  OutPkts  InBytes OutBytes', '  -> RemoteAddress:Port');
  } else {
    lines.push('Prot LocalAddress:Port Scheduler Flags', '  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn');
  }
  const services = state ? listServices(state) : [];
  for (const vs of services) {
    if (opts.only && `${vs.protocol}|${vs.address}|${vs.port}` !== opts.only) continue;
    if (opts.stats) {
      lines.push(`${`${vs.protocol}  ${hostPort(vs.address, vs.port)}`.padEnd(33)} ${statsCols(vs.stats)}`);
      for (const d of vs.dests) lines.push(`  -> ${hostPort(d.address, d.port).padEnd(28)} ${statsCols(d.stats)}`);
    } else {
      lines.push(serviceLine(vs));
      for (const d of vs.dests) {
        lines.push(`  -> ${hostPort(d.address, d.port).padEnd(28)} ${d.forward.padEnd(7)} ${String(d.weight).padEnd(6)} ${String(d.activeConn).padEnd(10)} ${String(d.inactConn).padEnd(10)}`);
      }
    }
  }
  return `${lines.join('\n')}\n`;
}
