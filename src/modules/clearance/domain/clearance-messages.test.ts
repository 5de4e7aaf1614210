import { describe, expect, it } from 'vitest';
import { assessmentReasonText, historyLine, historyText, storedCategories } from './clearance-messages.js';

describe('clearance messages', () => {
  it("renders an assessment reason in the reader's language from its code and evidence", () => {
    const reason = {
      code: 'excluded_goods' as const,
      message: 'Line 1 "Vitamin C" is excluded from list clearance: Health supplements (keyword:vitamin)',
      params: {
        line: 1,
        description: 'Vitamin C',
        categories: storedCategories([
          { category: 'health_supplement', label: 'Health supplements', evidence: 'keyword:vitamin' },
        ]),
      },
    };
    expect(assessmentReasonText(reason, 'en')).toBe(reason.message);
    expect(assessmentReasonText(reason, 'ko')).toBe(
      '1번 품목 "Vitamin C"은(는) 목록통관 배제 대상입니다: 건강기능식품 (keyword:vitamin)',
    );
    expect(assessmentReasonText(reason, 'fr')).toContain('Compléments alimentaires');
    expect(assessmentReasonText({ code: 'missing_pccc', message: 'as stored' }, 'ko')).toBe('as stored');
  });

  it('writes system history lines as codes and shows officers their own words unchanged', () => {
    const taxed = historyLine('history.formal_taxed', { taxKrw: 12345 });
    expect(historyText(taxed, 'en')).toBe('formal clearance, tax KRW 12,345');
    expect(historyText(historyLine('history.reassessed', { outcome: taxed }), 'ko')).toBe(
      '재심사: 일반수입신고, 세액 12,345원',
    );
    expect(
      historyText(
        historyLine('history.carrier_request', { kind: 'request_for_information', text: 'invoice' }),
        'fr',
      ),
    ).toBe("demande d'informations : invoice");
    expect(historyText('opened the box, all fine', 'ko')).toBe('opened the box, all fine');
  });
});
