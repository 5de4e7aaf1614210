import { describe, expect, it } from 'vitest';
import { describeContribution, describeFeature } from './explanation-wording.js';
import { FEATURE_NAMES } from './risk-features.js';

describe('explanation wording', () => {
  it('says how far the unit value is from the HS norm', () => {
    expect(
      describeContribution('unit_value_vs_hs6_norm', 0.17, 0.8, { date: '2021-01-01', hs6Code: '610910' }),
    ).toBe('unit value 83 % below the HS 6109 10 norm (raises risk)');
    expect(describeFeature('unit_value_vs_hs6_norm', 1.5)).toBe('unit value 50 % above the norm');
  });

  it("quotes an entity's past fraud rate", () => {
    expect(describeContribution('seller.fraud_rate', 0.41, 0.3)).toBe(
      "seller's past fraud rate 41 % (raises risk)",
    );
    expect(describeContribution('hs6_origin.fraud_rate', 0.02, -0.3)).toBe(
      'past fraud rate of this HS6 code from this origin 2 % (lowers risk)',
    );
    expect(describeFeature('importer.history_count', 0)).toBe('first declaration of this importer');
    expect(describeFeature('seller.fraud_rate', NaN)).toBe('no seller given');
  });

  it('has words for every feature the model computes', () => {
    for (const feature of FEATURE_NAMES) {
      const text = describeFeature(feature, 0.5);
      expect(text).not.toMatch(/=|undefined|NaN/);
    }
  });
});
