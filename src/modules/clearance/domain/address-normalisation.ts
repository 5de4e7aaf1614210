/**
 * Normalises Korean delivery addresses written in Hangul or in Latin letters into one comparable key, so
 * that "서울특별시 강남구 테헤란로 123, 101동 202호" and "123 Teheran-ro, Gangnam-gu, Seoul, 101-202" meet.
 *
 * Method: split into tokens, recognise each component by its suffix (시 / -si city, 구 / -gu district,
 * 로·길 / -ro·-gil road, 동 / -dong block, 호 / -ho unit), romanise Hangul syllable by syllable (Revised
 * Romanization letters, without the sound-change rules), then reduce both forms to a phonetic skeleton
 * that forgives the usual spelling variants (l/r/n, g/k, d/t, b/p, j/ch, eo/o, eu/u, doubled letters,
 * McCune-Reischauer forms such as "Kangnam"). Postcodes, provinces and the country are ignored.
 */
export interface NormalisedAddress {
  city: string | null;
  district: string | null;
  /** Road name with its suffix (`teheranro`), or the neighbourhood for lot-number addresses. */
  road: string | null;
  buildingNumber: string | null;
  /** `block-unit` (`101-202`), or just the unit, or null. */
  unit: string | null;
  /** Comparison key: the phonetic skeleton of every component, `|`-separated. */
  key: string;
}

const INITIALS = [
  'g',
  'kk',
  'n',
  'd',
  'tt',
  'r',
  'm',
  'b',
  'pp',
  's',
  'ss',
  '',
  'j',
  'jj',
  'ch',
  'k',
  't',
  'p',
  'h',
];
const MEDIALS = [
  'a',
  'ae',
  'ya',
  'yae',
  'eo',
  'e',
  'yeo',
  'ye',
  'o',
  'wa',
  'wae',
  'oe',
  'yo',
  'u',
  'wo',
  'we',
  'wi',
  'yu',
  'eu',
  'ui',
  'i',
];
const FINALS = [
  '',
  'k',
  'k',
  'k',
  'n',
  'n',
  'n',
  't',
  'l',
  'k',
  'm',
  'l',
  'l',
  'l',
  'p',
  'l',
  'm',
  'p',
  'p',
  't',
  't',
  'ng',
  't',
  't',
  'k',
  't',
  'p',
  't',
];
const HANGUL_FIRST = 0xac00;
const HANGUL_LAST = 0xd7a3;

/** Romanises Hangul syllables letter by letter; other characters pass through unchanged. */
export function romaniseHangul(text: string): string {
  let out = '';
  for (const character of text) {
    const code = character.codePointAt(0)!;
    if (code < HANGUL_FIRST || code > HANGUL_LAST) {
      out += character;
      continue;
    }
    const index = code - HANGUL_FIRST;
    out +=
      INITIALS[Math.floor(index / 588)]! + MEDIALS[Math.floor((index % 588) / 28)]! + FINALS[index % 28]!;
  }
  return out;
}

/** The spelling-tolerant skeleton of a romanised (or Hangul) name. */
export function phoneticKey(text: string): string {
  return romaniseHangul(text)
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '')
    .replace(/sh/g, 's')
    .replace(/eo/g, 'o')
    .replace(/eu/g, 'u')
    .replace(/[lr]/g, 'n')
    .replace(/g/g, 'k')
    .replace(/d/g, 't')
    .replace(/b/g, 'p')
    .replace(/j/g, 'ch')
    .replace(/([a-z])\1+/g, '$1');
}

const HANGUL = /[\uac00-\ud7a3]/;
const METROPOLITAN_HANGUL = ['서울', '부산', '인천', '대구', '대전', '광주', '울산', '세종'];
const METROPOLITAN_LATIN = [
  'seoul',
  'busan',
  'pusan',
  'incheon',
  'inchon',
  'daegu',
  'taegu',
  'daejeon',
  'taejon',
  'gwangju',
  'kwangju',
  'ulsan',
  'sejong',
];
const COUNTRY_WORDS = new Set(['korea', 'south', 'republic', 'of', 'rok', 'kr', 'kor', '대한민국', '한국']);

type Component = {
  kind: 'city' | 'district' | 'road' | 'neighbourhood' | 'number' | 'block' | 'unit' | 'ignored';
  value: string;
};

function numberText(value: string): string {
  return value.replace(/^0+(?=\d)/, '');
}

function classifyHangul(token: string): Component[] {
  let match: RegExpExecArray | null;
  if ((match = /^(.+?)(특별시|광역시|특별자치시)$/.exec(token))) return [{ kind: 'city', value: match[1]! }];
  if (METROPOLITAN_HANGUL.includes(token)) return [{ kind: 'city', value: token }];
  if (/^(.+?)(특별자치도|도)$/.test(token) && !/\d/.test(token)) return [{ kind: 'ignored', value: token }];
  if ((match = /^(.+?)시$/.exec(token)) && !/\d/.test(token)) return [{ kind: 'city', value: match[1]! }];
  if ((match = /^(.+?)(구|군)$/.exec(token)) && !/\d/.test(token))
    return [{ kind: 'district', value: match[1]! }];
  // "테헤란로123" or "강남대로94길 10": a road, possibly glued to its building number.
  if ((match = /^(.+(?:로|길))(\d+(?:-\d+)?)?$/.exec(token)) && !/^\d/.test(token)) {
    const parts: Component[] = [{ kind: 'road', value: match[1]! }];
    if (match[2]) parts.push({ kind: 'number', value: match[2] });
    return parts;
  }
  if ((match = /^(\d+)동$/.exec(token))) return [{ kind: 'block', value: numberText(match[1]!) }];
  if ((match = /^(\d+)-(\d+)호$/.exec(token)))
    return [
      { kind: 'block', value: numberText(match[1]!) },
      { kind: 'unit', value: numberText(match[2]!) },
    ];
  if ((match = /^(\d+)호$/.exec(token))) return [{ kind: 'unit', value: numberText(match[1]!) }];
  if (/^\d+층$/.test(token)) return [{ kind: 'ignored', value: token }];
  if ((match = /^(.+?)(동|읍|면|리|가)$/.exec(token)) && !/\d$/.test(match[1]!))
    return [{ kind: 'neighbourhood', value: token }];
  if (COUNTRY_WORDS.has(token)) return [{ kind: 'ignored', value: token }];
  return [{ kind: 'ignored', value: token }];
}

function classifyLatin(token: string): Component[] {
  let match: RegExpExecArray | null;
  if (COUNTRY_WORDS.has(token)) return [{ kind: 'ignored', value: token }];
  if (/^\d{5}$/.test(token)) return [{ kind: 'ignored', value: token }]; // postcode
  if (/^\d+(-\d+)?$/.test(token)) return [{ kind: 'number', value: token }];
  if ((match = /^(?:#|apt\.?|unit|ho|no\.?)(\d+)(?:-(\d+))?$/.exec(token))) {
    return match[2] === undefined
      ? [{ kind: 'unit', value: numberText(match[1]!) }]
      : [
          { kind: 'block', value: numberText(match[1]!) },
          { kind: 'unit', value: numberText(match[2]) },
        ];
  }
  if ((match = /^(\d+)-?(?:dong)$/.exec(token))) return [{ kind: 'block', value: numberText(match[1]!) }];
  if ((match = /^(\d+)-?(?:ho)$/.exec(token))) return [{ kind: 'unit', value: numberText(match[1]!) }];
  if ((match = /^(\d+)-?(?:gil)$/.exec(token))) return [{ kind: 'road', value: `${match[1]}gil` }];
  if (/^(b?\d+f|\d+(st|nd|rd|th)floor)$/.test(token)) return [{ kind: 'ignored', value: token }];
  const bare = token.replace(/[.]/g, '');
  if ((match = /^(.+?)-?(teukbyeolsi|gwangyeoksi|teukbyeoljachisi|si|city)$/.exec(bare)) && !/\d/.test(bare))
    return [{ kind: 'city', value: match[1]! }];
  if (METROPOLITAN_LATIN.includes(bare)) return [{ kind: 'city', value: bare }];
  if (
    /^(.+?)-(do|province)$/.test(bare) ||
    /^(gyeonggi|gangwon|chungcheong|jeolla|gyeongsang|jeju)/.test(bare)
  )
    return [{ kind: 'ignored', value: bare }];
  if ((match = /^(.+?)-(gu|gun)$/.exec(bare))) return [{ kind: 'district', value: match[1]! }];
  if ((match = /^(.+?)-?(daero|ro|gil)(\d+(?:-?gil)?)?$/.exec(bare)) && bare.includes('-'))
    return [{ kind: 'road', value: `${match[1]}${match[2]}${match[3] ?? ''}` }];
  if (/^(.+?)-(dong|eup|myeon|ri|ga)$/.test(bare)) return [{ kind: 'neighbourhood', value: bare }];
  return [{ kind: 'ignored', value: bare }];
}

/** Splits, classifies and keys an address line; never throws, a line with no known parts keys on its text. */
export function normaliseAddress(text: string): NormalisedAddress {
  const cleaned = text
    .normalize('NFC')
    .replace(/\([^)]*\)/g, ' ')
    .toLowerCase()
    .replace(/(\d)\s*(동|호|층)(?=\s|,|$)/g, '$1$2')
    .replace(/\b(apt|unit|no)\.?\s+(\d)/g, '$1$2')
    .replace(/#\s+(\d)/g, '#$1')
    .replace(/\b(\d+)\s+(gil|dong|ho)\b/g, '$1$2')
    .replace(/\b(ro|gil|daero|gu|gun|si|do|dong)\b/g, (word, _w, offset: number, whole: string) =>
      offset > 0 && /[a-z]\s$/.test(whole.slice(0, offset)) ? `-${word}` : word,
    )
    .replace(/([a-z])\s+-/g, '$1-');
  const tokens = cleaned
    .split(/[\s,]+/)
    .map((token) => token.replace(/^[-.]+|[-.]+$/g, ''))
    .filter(Boolean);

  const components: Component[] = tokens.flatMap((token) =>
    HANGUL.test(token) ? classifyHangul(token) : classifyLatin(token),
  );

  let city: string | null = null;
  let district: string | null = null;
  let road: string | null = null;
  let neighbourhood: string | null = null;
  let buildingNumber: string | null = null;
  let block: string | null = null;
  let unitNumber: string | null = null;
  const roadIndex = components.findIndex((component) => component.kind === 'road');
  // "강남대로94길" / "Gangnam-daero 94-gil": a numbered side road continues the road before it.
  for (
    let index = roadIndex + 1;
    roadIndex >= 0 && index < components.length && components[index]!.kind === 'road';
    index += 1
  ) {
    components[roadIndex] = { kind: 'road', value: components[roadIndex]!.value + components[index]!.value };
    components[index] = { kind: 'ignored', value: '' };
  }
  const anchor =
    roadIndex >= 0 ? roadIndex : components.findIndex((component) => component.kind === 'neighbourhood');
  if (anchor >= 0) {
    // The building number follows the road in Korean order and precedes it in Latin order.
    const after = components[anchor + 1];
    const before = components[anchor - 1];
    if (after?.kind === 'number') {
      buildingNumber = after.value;
      components[anchor + 1] = { kind: 'ignored', value: '' };
    } else if (before?.kind === 'number') {
      buildingNumber = before.value;
      components[anchor - 1] = { kind: 'ignored', value: '' };
    }
  }
  for (const component of components) {
    switch (component.kind) {
      case 'city':
        city ??= component.value;
        break;
      case 'district':
        district ??= component.value;
        break;
      case 'road':
        road ??= component.value;
        break;
      case 'neighbourhood':
        neighbourhood ??= component.value;
        break;
      case 'block':
        block ??= component.value;
        break;
      case 'unit':
        unitNumber ??= component.value;
        break;
      case 'number': {
        // A remaining number is the unit: "101-202" is block 101, unit 202; a lone number is the unit.
        const [first, second] = component.value.split('-').map(numberText);
        if (second !== undefined && block === null && unitNumber === null) {
          block = first!;
          unitNumber = second;
        } else if (buildingNumber === null && anchor < 0) buildingNumber = component.value;
        else unitNumber ??= first!;
        break;
      }
      case 'ignored':
        break;
    }
  }
  const place = road ?? neighbourhood;
  const unit = block !== null && unitNumber !== null ? `${block}-${unitNumber}` : (unitNumber ?? block);
  const parts = [city, district, place, buildingNumber, unit];
  const key = parts.some((part) => part !== null && part !== '')
    ? parts.map((part) => (part === null ? '' : /^[\d-]+$/.test(part) ? part : phoneticKey(part))).join('|')
    : `raw:${phoneticKey(text)}`;
  return {
    city: city === null ? null : romaniseHangul(city),
    district: district === null ? null : romaniseHangul(district),
    road: place === null ? null : romaniseHangul(place).replace(/-/g, ''),
    buildingNumber,
    unit,
    key,
  };
}
