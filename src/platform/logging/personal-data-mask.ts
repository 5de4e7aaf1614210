/**
 * Masks personal data before anything reaches a log line: PCCCs, e-mail addresses and phone numbers
 * inside free text, and whole values under keys that name a person's details.
 */
const PCCC_PATTERN = /\bP(\d{2})\d{8}(\d{2})\b/g;
const EMAIL_PATTERN = /\b([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9.-]+\.[A-Za-z]{2,})\b/g;
// Phone numbers are recognised by their separators, so that tracking numbers and ids stay readable.
const PHONE_PATTERN = /(?<![\w+])(\+\d{1,3}[\s-]?)?\d{2,4}[\s-]\d{3,4}[\s-]\d{4}(?!\w)/g;

export const PERSONAL_KEYS = new Set([
  'pccc',
  'name',
  'email',
  'phone',
  'street',
  'buyerName',
  'payerName',
  'buyerPccc',
  'importerReference',
  'address',
  'addressKey',
]);

export function maskPersonalText(text: string): string {
  return text
    .replace(PCCC_PATTERN, 'P$1********$2')
    .replace(EMAIL_PATTERN, '$1***@$2')
    .replace(PHONE_PATTERN, (phone) => `${phone.slice(0, 3)}***${phone.slice(-2)}`);
}

/**
 * A request URL as a log shows it: percent-encoding undone first (`kim%40mail.example` is an address
 * too), then the path masked as text and each query parameter as the field it names (`?name=` wholly).
 */
export function maskPersonalUrl(url: string): string {
  const at = url.indexOf('?');
  const path = maskPersonalText(decodedOrAsIs(at === -1 ? url : url.slice(0, at)));
  if (at === -1) return path;
  const query = [...new URLSearchParams(url.slice(at + 1))].map(
    ([key, value]) => `${maskPersonalText(key)}=${PERSONAL_KEYS.has(key) ? '***' : maskPersonalText(value)}`,
  );
  return `${path}?${query.join('&')}`;
}

function decodedOrAsIs(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Deep copy of a value with personal fields replaced by `***` and free text masked. */
export function maskPersonalData(value: unknown, depth = 0): unknown {
  if (depth > 8) return '[deep]';
  if (typeof value === 'string') return maskPersonalText(value);
  if (Array.isArray(value)) return value.map((item) => maskPersonalData(item, depth + 1));
  // An error's own properties are what a driver attached (parameters, the failing row): only its message passes.
  if (value instanceof Error) return { type: value.name, message: maskPersonalText(value.message) };
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    const masked: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) masked[key] = maskPersonalField(key, inner, depth + 1);
    return masked;
  }
  return value;
}

/** The value of a field named `key`, masked: wholly when the name says it is personal, else as data. */
export function maskPersonalField(key: string, value: unknown, depth = 0): unknown {
  return PERSONAL_KEYS.has(key) && value != null ? '***' : maskPersonalData(value, depth);
}
