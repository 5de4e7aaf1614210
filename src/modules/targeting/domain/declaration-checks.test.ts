import { describe, expect, it } from 'vitest';
import { checkDeclaration, type CheckFinding } from './declaration-checks.js';
import { recogniseProductClasses, restrictedWordsIn } from './product-classes.js';
import { renderReason } from './reason-messages.js';
import { sampleFacts } from './sample-facts.js';
import { ValueNorms } from './value-norms.js';
import type { LineFacts, ParcelFacts } from './parcel-facts.js';

function line(
  description: string,
  value: number,
  currency = 'USD',
  hs6: string | null = null,
): Partial<LineFacts> {
  return {
    description,
    quantity: 1,
    value,
    unitValue: value,
    currency,
    hs6,
    hsChapter: hs6?.slice(0, 2) ?? null,
    netMassKg: 0.3,
  };
}

function check(lines: Partial<LineFacts>[], overrides: Partial<ParcelFacts> = {}, norms = new ValueNorms()) {
  return checkDeclaration(
    sampleFacts({ buyerParcelsSameDay: 1, buyerValuesSameDay: null, ...overrides }, lines),
    // Clearance's limit for postal items; its rules file sets it in the running system.
    { norms, listClearanceLimitUsd: () => 150 },
  );
}

const codes = (findings: CheckFinding[]) =>
  findings.map((finding) => `${finding.lane}:${finding.message.code}`);

describe('product classes', () => {
  it('recognises goods from descriptions in the languages sellers write', () => {
    const first = (text: string) => recogniseProductClasses(text)[0]?.productClass.id;
    expect(first('Apple iPhone 15 Pro 256GB')).toBe('premium_smartphone');
    expect(first('아이폰15 프로 자급제')).toBe('premium_smartphone');
    expect(first('MacBook Pro 14 M3')).toBe('premium_laptop');
    expect(first('Rolex Submariner Date')).toBe('luxury_watch');
    expect(first('롤렉스 서브마리너')).toBe('luxury_watch');
    expect(first('Sac à main Louis Vuitton Neverfull')).toBe('luxury_bag');
    expect(first('샤넬 클래식 플랩 가방')).toBe('luxury_bag');
    expect(first('香奈儿 手提包')).toBe('luxury_bag');
    expect(first('설화수 자음생 크림')).toBe('luxury_cosmetics');
    expect(first('Vitamin C gummies')).toBe('supplements');
    expect(first('Nintendo Switch OLED console')).toBe('game_console');
  });

  it('does not take accessories or look-alike words for the goods', () => {
    const first = (text: string) => recogniseProductClasses(text)[0]?.productClass.id;
    expect(first('iPhone 15 silicone case')).toBeUndefined();
    expect(first('Laptop backpack')).toBeUndefined();
    expect(first('Omega-3 fish oil capsules')).toBe('supplements');
    expect(first('Gold-plated alloy bracelet')).toBe('fashion_jewellery');
    expect(restrictedWordsIn('Hot glue gun 60W')).toEqual([]);
    expect(restrictedWordsIn('마사지건 근막 이완')).toEqual([]);
    expect(restrictedWordsIn('Bullet journal dotted notebook')).toEqual([]);
    expect(restrictedWordsIn('Compact pistol 9mm').map((found) => found.kind)).toEqual(['weapon']);
    expect(restrictedWordsIn('대마 종자 오일').map((found) => found.kind)).toEqual(['narcotic']);
  });
});

describe('declaration checks', () => {
  it('holds a USD 1 smartphone and a USD 2 Rolex red with the evidence, in three languages', () => {
    const phone = check([line('iPhone 15 Pro', 1, 'USD', '851713')]);
    expect(codes(phone)).toEqual(['red:check.value_below_class']);
    expect(renderReason(phone[0]!.message, 'en').text).toBe(
      'Declared at USD 1 a unit for "iPhone 15 Pro" (about USD 1); a genuine flagship smartphone sells for USD 300-2,000.',
    );
    expect(renderReason(phone[0]!.message, 'ko').text).toContain('고급 스마트폰');
    expect(renderReason(phone[0]!.message, 'fr').text).toContain('smartphone haut de gamme');
    expect(codes(check([line('Rolex Datejust 41', 2)]))).toEqual(['red:check.value_below_class']);
    // The same value in another currency is judged after conversion.
    expect(codes(check([line('맥북 프로 14인치', 7000, 'KRW')]))).toEqual(['red:check.value_below_class']);
  });

  it('leaves ordinary, plausibly priced goods alone', () => {
    expect(check([line('Cotton T-shirt', 9, 'USD', '610910')])).toEqual([]);
    expect(check([line('iPhone 15 Pro', 999, 'USD', '851713')])).toEqual([]);
    expect(check([line('Phone case', 4, 'USD', '392690')])).toEqual([]);
    expect(check([line('Vitamin D3 capsules', 12, 'USD', '300450')])).toEqual([]);
  });

  it('holds weapon and narcotic words and controlled HS codes red', () => {
    expect(codes(check([line('Airsoft pistol spare parts', 60, 'USD', '392690')]))).toContain(
      'red:check.restricted_words',
    );
    expect(codes(check([line('Herbal supplement', 40, 'USD', '293941')]))).toContain(
      'red:check.restricted_hs',
    );
    expect(codes(check([line('CBD oil 10%', 30)]))).toContain('red:check.restricted_words');
    expect(codes(check([line('Replica Gucci Marmont bag AAA', 80)]))).toContain(
      'red:check.counterfeit_brand',
    );
  });

  it('notices a harmless description over a controlled or valuable HS code', () => {
    expect(codes(check([line('Plush toy', 15, 'USD', '821192')]))).toEqual([
      'yellow:check.description_contradicts_hs',
    ]);
    expect(codes(check([line('Paperback novel', 12, 'USD', '854340')]))).toEqual([
      'yellow:check.description_contradicts_hs',
    ]);
    // Any code the goods named cannot be under: a T-shirt declared as a toy is misclassified.
    expect(codes(check([line('Cotton T-shirt', 9, 'USD', '950300')]))).toEqual([
      'yellow:check.description_contradicts_hs',
    ]);
    expect(check([line('Cotton T-shirt', 9, 'USD', '610910')])).toEqual([]);
    // Goods declared as their case or as paper: a phone under its case's name, perfume as documents.
    expect(codes(check([line('Phone case', 440, 'USD', '851713')]))).toEqual([
      'yellow:check.description_contradicts_hs',
    ]);
    expect(codes(check([line('Sample documents', 196, 'USD', '330300')]))).toEqual([
      'yellow:check.description_contradicts_hs',
    ]);
    expect(check([line('Phone case', 9, 'USD', '392690')])).toEqual([]);
    expect(check([line('Leather document holder', 25, 'USD', '420231')])).toEqual([]);
  });

  it('holds a parcel whose marketplace order was paid far over the declared value', () => {
    const paid = check([line('Wireless earbuds', 30, 'USD', '851830')], {
      declaredValue: 30,
      orderPricePaid: 260,
      orderCurrency: 'USD',
    });
    expect(codes(paid)).toEqual(['yellow:check.paid_over_declared']);
    expect(renderReason(paid[0]!.message, 'en').text).toContain('paid USD 260');
    // Freight on top of a small price is not undervaluation.
    for (const [declared, orderPaid] of [
      [30, 45],
      [4, 12],
    ])
      expect(
        check([line('Wireless earbuds', declared!, 'USD', '851830')], {
          declaredValue: declared!,
          orderPricePaid: orderPaid!,
          orderCurrency: 'USD',
        }),
      ).toEqual([]);
  });

  it('compares values with the HS norm of the finest code that has enough lines', () => {
    const norms = new ValueNorms();
    for (let index = 0; index < 20; index++)
      norms.add({
        hsCode: '851762',
        currency: 'USD',
        unitValue: 80 + index,
        value: 80 + index,
        netMassKg: 0.2,
      });
    // No line of 851769 yet: its heading 8517 stands in.
    const findings = check([line('Wi-Fi mesh router', 3, 'USD', '851769')], {}, norms);
    expect(codes(findings)).toEqual(['yellow:check.value_below_norm']);
    expect(findings[0]!.message.params).toMatchObject({ hsCode: '8517', lines: 20, percent: 3 });
  });

  it('holds the parcels of a purchase split under the list-clearance limit', () => {
    const split = check([line('Cotton hooded sweatshirt', 148, 'USD', '611020')], {
      declaredValue: 148,
      buyerParcelsSameDay: 5,
      buyerValuesSameDay: [{ currency: 'USD', value: 735 }],
    });
    expect(codes(split)).toEqual(['yellow:check.split_series']);
    expect(renderReason(split[0]!.message, 'en').text).toContain('together USD 735, over the USD 150');
    // The pieces of one purchase declared in two currencies: the series is placed in USD.
    const mixed = check([line('Cotton hooded sweatshirt', 110, 'USD', '611020')], {
      declaredValue: 110,
      buyerParcelsSameDay: 2,
      buyerValuesSameDay: [
        { currency: 'EUR', value: 100 },
        { currency: 'USD', value: 110 },
      ],
    });
    expect(codes(mixed)).toEqual(['yellow:check.split_series']);
    expect(renderReason(mixed[0]!.message, 'ko').text).toContain('USD 219');
    // One parcel under the limit alone is not a split.
    expect(
      check([line('Cotton hooded sweatshirt', 148, 'USD', '611020')], {
        declaredValue: 148,
        buyerParcelsSameDay: 1,
        buyerValuesSameDay: [{ currency: 'USD', value: 148 }],
      }),
    ).toEqual([]);
  });

  it('holds a purchase split over several PCCCs delivered to one address', () => {
    const facts = (pcccs: number) => ({
      declaredValue: 60,
      deliverySameDay: {
        parcels: 3,
        pcccs,
        values: [
          { currency: 'USD', value: 120 },
          { currency: 'JPY', value: 9000 },
        ],
      },
    });
    const split = check([line('Bath towel set', 60, 'USD', '630260')], facts(3));
    expect(codes(split)).toEqual(['yellow:check.split_address_series']);
    expect(renderReason(split[0]!.message, 'fr').text).toContain('3 colis sous 3 codes douaniers');
    // One buyer's own parcels to their own door are the buyer series' matter, not this check's.
    expect(check([line('Bath towel set', 60, 'USD', '630260')], facts(1))).toEqual([]);
  });

  it('notices a PCCC used under several names, without naming the code', () => {
    const borrowed = check([line('Cotton T-shirt', 9, 'USD', '610910')], { buyerNamesUnderPccc: 4 });
    expect(codes(borrowed)).toEqual(['yellow:check.pccc_many_names']);
    expect(renderReason(borrowed[0]!.message, 'en').text).not.toContain('P123456789012');
    // Hangul and Latin spellings of one holder are two names, not a stolen code.
    expect(check([line('Cotton T-shirt', 9, 'USD', '610910')], { buyerNamesUnderPccc: 2 })).toEqual([]);
  });

  it('turns X-ray findings into lanes', () => {
    expect(
      codes(
        check([line('Cotton T-shirt', 9)], {
          xray: { finding: 'threat', labels: ['knife'], mismatch: true },
        }),
      ),
    ).toEqual(['red:check.xray_threat', 'yellow:check.xray_mismatch']);
  });
});
