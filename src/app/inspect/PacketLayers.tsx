/**
 * A packet's headers as tables, outer to inner (./layers.ts), with the fields in `marked` shown
 * as changed here. Field names and named values (ICMP types, ARP ops) are UI strings in the
 * page's language; addresses and numbers are as on the wire. The packet inspector and the story's
 * in/out view both draw packets this way.
 */
import { useTranslation } from 'react-i18next';
import type { Packet } from '../../engine/net/packet';
import { layers, type Field } from './layers';

export function PacketLayers({ packet, marked, indent }: { packet: Packet; marked: ReadonlySet<string>; indent: number }) {
  const { t } = useTranslation();
  const value = (f: Field): string => (f.named ? t(f.named.key, { n: f.named.n, defaultValue: f.value }) : f.value);
  return (
    <>
      {layers(packet).map((l, i) => (
        <div key={i} className="knp-layer" style={{ marginLeft: l.depth * indent }} data-layer={l.name}>
          <div className="knp-layer-name">{l.depth ? `${l.name} ${t('packetField.inner')}` : l.name}</div>
          <table><tbody>
            {l.fields.map((f) => (
              <tr
                key={f.key} className={marked.has(f.key) ? 'changed' : ''} data-field={f.key.replace(/^(inner\.)+/, '')} data-changed={marked.has(f.key) ? 'true' : undefined}
                title={marked.has(f.key) ? t('inspector.changed') : undefined}
              >
                <th>{t(f.labelKey, { defaultValue: f.label })}</th><td className="knp-mono">{value(f)}</td>
              </tr>
            ))}
          </tbody></table>
        </div>
      ))}
    </>
  );
}
