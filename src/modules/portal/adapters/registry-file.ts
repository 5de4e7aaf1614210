import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import type { FieldError } from '../../../platform/errors/field-error.js';

/** One entry of the PCCC registry as the issuing system exports it. */
export interface RegistryEntry {
  pccc: string;
  holderName: string;
  email: string | null;
  phone: string | null;
  issuedOn: string;
  expiresOn: string;
  status: 'active' | 'cancelled';
}

export const REGISTRY_COLUMNS = [
  'pccc',
  'holder_name',
  'email',
  'phone',
  'issued_on',
  'expires_on',
  'status',
];

const PCCC = /^P\d{12}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE = /^\+?[0-9 -]{7,20}$/;

/**
 * Reads the issuing system's CSV export (header row with REGISTRY_COLUMNS, UTF-8). Every bad cell is
 * reported with its line and column; nothing is returned unless the whole file is good.
 */
export function readRegistryCsv(text: string): { entries: RegistryEntry[]; errors: FieldError[] } {
  const errors: FieldError[] = [];
  let records: Record<string, string>[];
  try {
    records = parse(text.replace(/^\uFEFF/, ''), { columns: true, skip_empty_lines: true, trim: true });
  } catch (error) {
    return {
      entries: [],
      errors: [{ path: 'file', value: null, rule: 'csv', message: (error as Error).message }],
    };
  }
  const header = Object.keys(records[0] ?? {});
  for (const column of REGISTRY_COLUMNS)
    if (records.length > 0 && !header.includes(column))
      errors.push({ path: column, value: null, rule: 'required', message: `column ${column} is missing` });
  if (errors.length > 0) return { entries: [], errors };
  const entries: RegistryEntry[] = [];
  records.forEach((record, index) => {
    const line = index + 2;
    // Names, e-mails and phones are personal: an error names the cell, not its content.
    const personal = ['holder_name', 'email', 'phone'];
    const problem = (path: string, rule: string, message: string) =>
      errors.push({
        path,
        value: personal.includes(path) ? '***' : (record[path] ?? null),
        rule,
        message,
        line,
      });
    const email = record.email || null;
    const phone = record.phone || null;
    if (!PCCC.test(record.pccc ?? '')) problem('pccc', 'pccc', 'must be P followed by 12 digits');
    if (!record.holder_name) problem('holder_name', 'required', 'must not be empty');
    if (email && !EMAIL.test(email)) problem('email', 'email', 'must be an e-mail address');
    if (phone && !PHONE.test(phone)) problem('phone', 'phone', 'must be a phone number');
    if (!email && !phone) problem('email', 'required', 'an e-mail or a phone is needed to send codes');
    if (!DATE.test(record.issued_on ?? '')) problem('issued_on', 'date', 'must be YYYY-MM-DD');
    if (!DATE.test(record.expires_on ?? '') || (record.expires_on ?? '') < (record.issued_on ?? ''))
      problem('expires_on', 'date', 'must be YYYY-MM-DD, not before issued_on');
    if (record.status !== 'active' && record.status !== 'cancelled')
      problem('status', 'enum', 'must be active or cancelled');
    entries.push({
      pccc: record.pccc ?? '',
      holderName: record.holder_name ?? '',
      email,
      phone,
      issuedOn: record.issued_on ?? '',
      expiresOn: record.expires_on ?? '',
      status: record.status as RegistryEntry['status'],
    });
  });
  return { entries: errors.length > 0 ? [] : entries, errors };
}

/** The registry as the issuing system would export it (the demo writes its buyers' codes this way). */
export function writeRegistryCsv(entries: readonly RegistryEntry[]): string {
  return stringify(
    entries.map((entry) => [
      entry.pccc,
      entry.holderName,
      entry.email ?? '',
      entry.phone ?? '',
      entry.issuedOn,
      entry.expiresOn,
      entry.status,
    ]),
    { header: true, columns: REGISTRY_COLUMNS },
  );
}
