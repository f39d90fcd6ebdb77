/** The API server's name and label rules (apimachinery/pkg/util/validation), returning its messages. */

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const IANA_SVC_NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

export function dns1123Label(v: string): string | null {
  if (v.length > 63) return 'must be no more than 63 characters';
  if (!DNS1123_LABEL.test(v)) return `a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`;
  return null;
}

export function dns1123Subdomain(v: string): string | null {
  if (v.length > 253) return 'must be no more than 253 characters';
  if (!DNS1123_SUBDOMAIN.test(v)) return `a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`;
  return null;
}

export function dns1035Label(v: string): string | null {
  if (v.length > 63) return 'must be no more than 63 characters';
  if (!DNS1035_LABEL.test(v)) return `a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')`;
  return null;
}

/** Label keys: an optional DNS subdomain prefix and a name of at most 63 characters. */
export function labelKey(k: string): string | null {
  const slash = k.indexOf('/');
  const name = slash < 0 ? k : k.slice(slash + 1);
  if (slash >= 0) {
    const prefix = k.slice(0, slash);
    if (!prefix || dns1123Subdomain(prefix)) return 'prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, \'-\' or \'.\'';
  }
  if (!name) return 'name part must be non-empty';
  if (name.length > 63) return 'name part must be no more than 63 characters';
  if (!QUALIFIED_NAME.test(name)) return `name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`;
  return null;
}

export function labelValue(v: string): string | null {
  if (v.length > 63) return 'must be no more than 63 characters';
  if (!LABEL_VALUE.test(v)) return `a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`;
  return null;
}

/** Port names (IANA_SVC_NAME): at most 15 characters, at least one letter, no "--". */
export function portName(v: string): string | null {
  if (v.length > 15) return 'must be no more than 15 characters';
  if (!IANA_SVC_NAME.test(v)) return 'must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)';
  if (v.includes('--')) return 'must not contain consecutive hyphens';
  if (!/[a-z]/.test(v)) return 'must contain at least one letter (a-z)';
  return null;
}
