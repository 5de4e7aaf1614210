/**
 * Every sentence an officer reads about why a declaration scored as it did. Kept in one file so that
 * wording can be reviewed, and later translated, without touching the model.
 */
import type { RiskDeclaration } from './risk-declaration.js';

/**
 * How each entity group is named: "the seller's past fraud rate", "the importer's past fraud rate with
 * this HS6 code", "first declaration of this seller".
 */
const ENTITY_PHRASES: Record<string, { owner: string; qualifier: string; subject: string }> = {
  importer: { owner: "importer's", qualifier: '', subject: 'importer' },
  declarant: { owner: "declarant's", qualifier: '', subject: 'declarant' },
  seller: { owner: "seller's", qualifier: '', subject: 'seller' },
  courier: { owner: "courier's", qualifier: '', subject: 'courier' },
  hs6: { owner: "HS6 code's", qualifier: '', subject: 'HS6 code' },
  hs4: { owner: "HS heading's", qualifier: '', subject: 'HS heading' },
  hs2: { owner: "HS chapter's", qualifier: '', subject: 'HS chapter' },
  office: { owner: "customs office's", qualifier: '', subject: 'customs office' },
  departure: { owner: "departure country's", qualifier: '', subject: 'departure country' },
  origin: { owner: "origin country's", qualifier: '', subject: 'origin country' },
  tax_type: { owner: "tax type's", qualifier: '', subject: 'tax type' },
  origin_indicator: { owner: "origin indicator's", qualifier: '', subject: 'origin indicator' },
  process_type: { owner: "process type's", qualifier: '', subject: 'process type' },
  import_type: { owner: "import type's", qualifier: '', subject: 'import type' },
  import_use: { owner: "import use's", qualifier: '', subject: 'import use' },
  payment_type: { owner: "payment type's", qualifier: '', subject: 'payment type' },
  transport_mode: { owner: "transport mode's", qualifier: '', subject: 'transport mode' },
  importer_hs6: {
    owner: "importer's",
    qualifier: ' with this HS6 code',
    subject: 'importer with this HS6 code',
  },
  declarant_hs6: {
    owner: "declarant's",
    qualifier: ' with this HS6 code',
    subject: 'declarant with this HS6 code',
  },
  seller_hs6: { owner: "seller's", qualifier: ' with this HS6 code', subject: 'seller with this HS6 code' },
  importer_declarant: {
    owner: "importer's",
    qualifier: ' with this declarant',
    subject: 'importer with this declarant',
  },
  importer_seller: {
    owner: "importer's",
    qualifier: ' with this seller',
    subject: 'importer with this seller',
  },
  declarant_office: {
    owner: "declarant's",
    qualifier: ' at this office',
    subject: 'declarant at this office',
  },
  seller_origin: { owner: "seller's", qualifier: ' for this origin', subject: 'seller with this origin' },
  hs6_origin: { owner: "HS6 code's", qualifier: ' from this origin', subject: 'HS6 code from this origin' },
  hs6_departure: {
    owner: "HS6 code's",
    qualifier: ' from this departure country',
    subject: 'HS6 code from this departure country',
  },
  hs6_tax_type: {
    owner: "HS6 code's",
    qualifier: ' with this tax type',
    subject: 'HS6 code with this tax type',
  },
  hs6_office: { owner: "HS6 code's", qualifier: ' at this office', subject: 'HS6 code at this office' },
  hs6_origin_indicator: {
    owner: "HS6 code's",
    qualifier: ' with this origin indicator',
    subject: 'HS6 code with this origin indicator',
  },
};

const numberFormat = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 0 });
const smallNumberFormat = new Intl.NumberFormat('en-GB', { maximumSignificantDigits: 3 });

function percent(rate: number): string {
  return `${Math.round(rate * 100)} %`;
}

function effect(contribution: number): string {
  return contribution > 0 ? 'raises risk' : 'lowers risk';
}

/**
 * One sentence describing a feature's contribution, e.g. "unit value 83 % below the HS 6109 norm (raises
 * risk)" or "seller's past fraud rate 41 % (raises risk)".
 * @param feature feature name as in FEATURE_NAMES
 * @param value the feature's value for this declaration (NaN when missing)
 * @param contribution its TreeSHAP contribution in log-odds (sign gives the direction)
 * @param declaration the declaration, for codes quoted in the sentence
 */
export function describeContribution(
  feature: string,
  value: number,
  contribution: number,
  declaration?: RiskDeclaration,
): string {
  return `${describeFeature(feature, value, declaration)} (${effect(contribution)})`;
}

/** The feature's value in words, without the direction. */
export function describeFeature(feature: string, value: number, declaration?: RiskDeclaration): string {
  const missing = value !== value;
  const [group, statistic] = feature.split('.');
  if (statistic !== undefined) {
    const phrase = ENTITY_PHRASES[group] ?? { owner: `${group}'s`, qualifier: '', subject: group };
    if (missing) return `no ${phrase.subject} given`;
    switch (statistic) {
      case 'fraud_rate':
        return phrase.qualifier === ''
          ? `${phrase.owner} past fraud rate ${percent(value)}`
          : `past fraud rate of this ${phrase.subject} ${percent(value)}`;
      case 'critical_rate':
        return phrase.qualifier === ''
          ? `${phrase.owner} past critical-fraud rate ${percent(value)}`
          : `past critical-fraud rate of this ${phrase.subject} ${percent(value)}`;
      case 'history_count':
        return value === 0
          ? `first declaration of this ${phrase.subject}`
          : `${numberFormat.format(value)} earlier declarations of this ${phrase.subject}`;
      default:
        return `${feature} = ${smallNumberFormat.format(value)}`;
    }
  }
  const hs = declaration?.hs6Code;
  switch (feature) {
    case 'item_price_krw':
      return missing ? 'no declared price' : `declared price ${numberFormat.format(value)} KRW`;
    case 'net_mass_kg':
      return missing ? 'no net mass' : `net mass ${smallNumberFormat.format(value)} kg`;
    case 'unit_value_krw_per_kg':
      return missing ? 'unit value unknown' : `unit value ${numberFormat.format(value)} KRW/kg`;
    case 'unit_value_vs_hs6_norm': {
      if (missing) return 'unit value cannot be compared with the HS norm';
      const norm = hs ? `the HS ${hs.slice(0, 4)}${hs.length > 4 ? ` ${hs.slice(4)}` : ''} norm` : 'the norm';
      if (value < 1) return `unit value ${Math.round((1 - value) * 100)} % below ${norm}`;
      if (value < 10) return `unit value ${Math.round((value - 1) * 100)} % above ${norm}`;
      return `unit value ${smallNumberFormat.format(value)} times ${norm}`;
    }
    case 'tax_rate':
      return missing ? 'no duty rate' : `duty rate ${smallNumberFormat.format(value)} %`;
    case 'departure_differs_from_origin':
      if (missing) return 'departure or origin country unknown';
      return value === 1 ? 'shipped from a country other than its origin' : 'shipped from its origin country';
    default:
      return missing ? `${feature} missing` : `${feature} = ${smallNumberFormat.format(value)}`;
  }
}
