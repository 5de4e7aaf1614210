import type { SeededRandom } from '../platform/random/seeded-random.js';

/**
 * Recalled products the demo plants in parcels (pattern `recalled_product`), in the shape agencies file
 * product-safety reports (partners' SafetyReportInput). Brands and models are invented; hazards and HS
 * codes are those of real Safety Gate categories (toys, cosmetics, chargers, baby products).
 */
export interface DemoRecall {
  productName: string;
  brand: string;
  model: string;
  hsCode: string;
  hazard: string;
  recallReference: string;
}

export const demoRecalls: readonly DemoRecall[] = [
  {
    productName: 'Baby walker with music',
    brand: 'Tinystep',
    model: 'TW-300',
    hsCode: '950300',
    hazard: 'Falls down stairs; small parts',
    recallReference: 'SG-A12-00311',
  },
  {
    productName: 'Whitening face cream',
    brand: 'Lumiskin',
    model: 'LX 50',
    hsCode: '330499',
    hazard: 'Contains mercury',
    recallReference: 'SG-A12-00457',
  },
  {
    productName: 'USB fast charger 65W',
    brand: 'Voltiq',
    model: 'VQ-65C',
    hsCode: '850440',
    hazard: 'Electric shock; overheating',
    recallReference: 'KC-2026-1183',
  },
  {
    productName: 'Magnetic building balls',
    brand: 'Magiplay',
    model: 'MB216',
    hsCode: '950300',
    hazard: 'Strong magnets swallowed by children',
    recallReference: 'SG-A12-00502',
  },
  {
    productName: 'Kids rain boots',
    brand: 'Puddlo',
    model: 'PB-7',
    hsCode: '640299',
    hazard: 'Phthalates (DEHP) over the limit',
    recallReference: 'KC-2026-1240',
  },
  {
    productName: 'Hair straightener ceramic',
    brand: 'Silkara',
    model: 'SK-230',
    hsCode: '851632',
    hazard: 'Burns; no thermal cut-off',
    recallReference: 'SG-A12-00614',
  },
];

/** How a seller titles a recalled product: brand and model as the listing spells them, extra words around. */
export function recalledTitle(random: SeededRandom, recall: DemoRecall): string {
  const model = random.pick([recall.model, recall.model.replace(/[- ]/g, ''), recall.model.toLowerCase()]);
  const brand = random.pick([recall.brand, recall.brand.toUpperCase()]);
  const extra = random.pick(['', ' new', ' 2026 version', ' hot sale', ' original']);
  return random.chance(0.5)
    ? `${brand} ${model} ${recall.productName}${extra}`
    : `${recall.productName} ${brand} ${model}${extra}`;
}
