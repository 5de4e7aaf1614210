import countries from 'i18n-iso-countries';

/**
 * Checks on the identifiers that customs data is keyed by. Each returns a reason in words when the
 * value is wrong, so that a rejected record says exactly what to fix.
 */

const S10_WEIGHTS = [8, 6, 4, 2, 3, 5, 9, 7];

/** The UPU S10 check digit of the 8-digit serial number: `11 - (sum mod 11)`, with 10 -> 0 and 11 -> 5. */
export function s10CheckDigit(serial: string): number {
  let sum = 0;
  for (let index = 0; index < 8; index++) sum += Number(serial[index]) * S10_WEIGHTS[index]!;
  const check = 11 - (sum % 11);
  return check === 10 ? 0 : check === 11 ? 5 : check;
}

/** Problem with a UPU S10 item id (`RR123456785KR`), or undefined when it is valid. */
export function s10Problem(itemId: string): string | undefined {
  const match = /^([A-Z]{2})(\d{8})(\d)([A-Z]{2})$/.exec(itemId);
  if (!match)
    return 'must be 2 letters, 8 digits, a check digit and a 2-letter country code, e.g. RR123456785KR';
  const [, , serial, check, country] = match;
  const expected = s10CheckDigit(serial!);
  if (Number(check) !== expected)
    return `check digit is ${check} but the serial number ${serial} gives ${expected}`;
  if (!countries.isValid(country!)) return `${country} is not an ISO 3166 country code`;
  return undefined;
}

/**
 * Master air waybill (IATA): a 3-digit airline prefix and an 8-digit serial whose last digit is the
 * first seven modulo 7, written `180-12345675` or without the dash.
 */
export function masterAirWaybillProblem(mawb: string): string | undefined {
  const match = /^(\d{3})-?(\d{7})(\d)$/.exec(mawb);
  if (!match)
    return 'must be a master air waybill number: 3-digit airline prefix and 8 digits, e.g. 180-12345675';
  const expected = Number(match[2]) % 7;
  return Number(match[3]) === expected
    ? undefined
    : `check digit is ${match[3]} but the serial number ${match[2]} gives ${expected} (modulo 7)`;
}

/** Personal Customs Clearance Code: `P` followed by 12 digits. */
export function pcccProblem(pccc: string): string | undefined {
  return /^P\d{12}$/.test(pccc) ? undefined : 'must be P followed by 12 digits, e.g. P123456789012';
}

/** HS tariff number: 6 to 10 digits (dots and spaces as people write them are removed first). */
export function normaliseHsCode(raw: string): string {
  return raw.replace(/[.\s]/g, '');
}

export function hsCodeProblem(hsCode: string): string | undefined {
  return /^\d{6,10}$/.test(hsCode) ? undefined : 'must be 6 to 10 digits (HS6 or a national tariff line)';
}

export function countryProblem(code: string): string | undefined {
  return /^[A-Z]{2}$/.test(code) && countries.isValid(code)
    ? undefined
    : 'must be an ISO 3166-1 alpha-2 country code';
}

const currencyCodes = new Set(Intl.supportedValuesOf('currency'));

export function currencyProblem(code: string): string | undefined {
  return currencyCodes.has(code) ? undefined : 'must be an ISO 4217 currency code';
}
