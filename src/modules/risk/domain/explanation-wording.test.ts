import { describe, expect, it } from 'vitest';
import { contributionMessage, describeContribution, renderRiskSignal } from './explanation-wording.js';
import { FEATURE_NAMES } from './risk-features.js';
import { locales } from '../../../platform/i18n/locale.js';

describe('explanation wording', () => {
  it('says how far the unit value is from the HS norm', () => {
    expect(
      describeContribution('unit_value_vs_hs6_norm', 0.17, 0.8, { date: '2021-01-01', hs6Code: '610910' }),
    ).toBe('unit value 83 % below the HS 6109 10 norm (raises risk)');
    expect(
      describeContribution('unit_value_vs_hs6_norm', 1.5, -0.2, { date: '2021-01-01', hs6Code: '8517' }),
    ).toBe('unit value 50 % above the HS 8517 norm (lowers risk)');
  });

  it("quotes an entity's past fraud rate", () => {
    expect(describeContribution('seller.fraud_rate', 0.41, 0.3)).toBe(
      'past fraud rate of this seller 41 % (raises risk)',
    );
    expect(describeContribution('hs6_origin.fraud_rate', 0.02, -0.3)).toBe(
      'past fraud rate of this HS6 code from this origin 2 % (lowers risk)',
    );
    expect(describeContribution('importer.history_count', 0, 0.1)).toBe(
      'first declaration of this importer (raises risk)',
    );
    expect(describeContribution('seller.fraud_rate', NaN, 0.1)).toBe('no seller given (raises risk)');
  });

  it('is stored as a code with parameters and read in Korean and French', () => {
    const message = contributionMessage('seller.fraud_rate', 0.41, 0.3);
    expect(message).toEqual({
      code: 'signal.fraud_rate',
      params: { entity: 'seller', rate: 41, effect: 'raises' },
    });
    expect(renderRiskSignal(message, 'ko')).toBe('이 판매자의 과거 부정 비율 41 % (위험 증가)');
    expect(renderRiskSignal(message, 'fr')).toBe(
      'taux de fraude passé de ce vendeur : 41 % (augmente le risque)',
    );
  });

  it('has words in every language for every feature the model computes, present or missing', () => {
    for (const feature of FEATURE_NAMES) {
      for (const value of [0.5, 0, NaN]) {
        const message = contributionMessage(feature, value, 0.2, { date: '2021-01-01', hs6Code: '851712' });
        for (const locale of locales) {
          const text = renderRiskSignal(message, locale);
          expect(text).not.toMatch(/[{}]|undefined|NaN|signal\./);
          if (locale !== 'en') expect(text).not.toContain('raises risk');
        }
      }
    }
  });
});
