/**
 * Small synthetic declaration histories for unit tests: a few risky sellers and HS codes, under-valued
 * items, so that a model has something real to learn. Deterministic for a given seed.
 */
import { seededRandom } from '../../../platform/random/seeded-random.js';
import type { LabelledRiskDeclaration } from './risk-declaration.js';

export function syntheticHistory(
  count: number,
  seed = 1,
  startDate = '2020-01-01',
  days = 60,
): LabelledRiskDeclaration[] {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const sellers = Array.from({ length: 40 }, (_, i) => `S${i}`);
  const riskySellers = new Set(['S1', 'S2', 'S3', 'S4']);
  const hsCodes = ['610910', '851712', '420222', '330499', '950300', '640399'];
  const countries = ['CN', 'US', 'DE', 'VN', 'JP'];
  const start = Date.parse(`${startDate}T00:00:00Z`);
  const rows: LabelledRiskDeclaration[] = [];
  for (let i = 0; i < count; i++) {
    const date = new Date(start + Math.floor((i * days) / count) * 86_400_000).toISOString().slice(0, 10);
    const sellerId = random() < 0.1 ? undefined : pick(sellers);
    const hs6Code = pick(hsCodes);
    const originCountry = pick(countries);
    const departureCountry = random() < 0.8 ? originCountry : pick(countries);
    const netMassKg = 0.2 + random() * 5;
    const underValued = random() < 0.2;
    const itemPriceKrw = netMassKg * (underValued ? 2_000 : 20_000) * (0.5 + random());
    let risk = 0.05;
    if (sellerId && riskySellers.has(sellerId)) risk += 0.6;
    if (underValued) risk += 0.3;
    if (hs6Code === '420222' && originCountry === 'CN') risk += 0.3;
    const fraud = random() < risk;
    rows.push({
      declaration: {
        date,
        officeId: pick(['10', '20', '30']),
        importerId: `I${Math.floor(random() * 200)}`,
        declarantId: `D${Math.floor(random() * 20)}`,
        ...(sellerId ? { sellerId } : {}),
        hs6Code,
        originCountry,
        departureCountry,
        taxRate: pick([0, 8, 13]),
        taxType: pick(['A', 'C', 'FCN1']),
        netMassKg,
        itemPriceKrw,
      },
      label: { fraud, critical: fraud && random() < 0.1 },
    });
  }
  return rows;
}
