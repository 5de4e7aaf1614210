/**
 * Addresses as one comparable text: intake writes a parcel's addressee this way into its parcel facts, and
 * targeting compares watchlisted and post-delivery addresses in the same form, so both must share it.
 */

/** Lower case, punctuation as spaces, single spaces: two spellings of one address compare equal. */
export function normaliseAddress(parts: readonly (string | null | undefined)[]): string | null {
  const text = parts
    .filter((part): part is string => typeof part === 'string' && part.trim() !== '')
    .join(' ')
    .toLowerCase()
    .normalize('NFKC')
    .replace(/[\p{P}\p{S}]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return text === '' ? null : text;
}

/** Address of a CN23/manifest party object (`street`, `postcode`, `city`, `country`). */
export function addressOf(party: Record<string, unknown> | null | undefined): string | null {
  if (!party) return null;
  const pick = (key: string) => (typeof party[key] === 'string' ? (party[key] as string) : null);
  return normaliseAddress([pick('street'), pick('postcode'), pick('city'), pick('country')]);
}
