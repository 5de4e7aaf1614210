import { describe, expect, it } from 'vitest';
import { brandKey, listingUrlKey, modelCandidates, modelKey, skeleton, textKeys } from './product-text.js';
import { ProductWatchlist } from './product-watchlist.js';

describe('product text', () => {
  it('gives a brand one key in Hangul, Latin and Chinese script', () => {
    expect(brandKey('삼성')).toBe('brand:samsung');
    expect(brandKey('Samsung Electronics')).toBe('brand:samsung');
    expect(brandKey('三星')).toBe('brand:samsung');
    expect(brandKey('엘지')).toBe(brandKey('LG'));
  });

  it('lets unlisted transliterations meet through their skeleton', () => {
    expect(skeleton('갤럭시')).toBe(skeleton('galaxy'));
    expect(skeleton('케이블')).toBe(skeleton('cable'));
    expect(skeleton('충전기')).not.toBe(skeleton('charger'));
  });

  it('splits a brand off a Hangul word and Hangul off Latin', () => {
    expect(textKeys('삼성갤럭시S21 충전기').has('brand:samsung')).toBe(true);
    expect(textKeys('삼성갤럭시S21 충전기').has('s21')).toBe(true);
  });

  it('reads model numbers whatever their separators', () => {
    expect(modelKey('SM-G991B')).toBe('SMG991B');
    expect(modelCandidates('Galaxy S21 sm g991 b case').has('SMG991B')).toBe(true);
    expect(modelCandidates('SM_G991B/DS').has('SMG991B')).toBe(true);
    expect(modelKey('ab')).toBeNull();
  });

  it('compares listing URLs without scheme, www, tracking parameters or trailing slash', () => {
    expect(listingUrlKey('https://www.Shop.example/item/123/?utm_source=x')).toBe(
      listingUrlKey('shop.example/item/123'),
    );
    expect(listingUrlKey('https://shop.example/item/124')).not.toBe(listingUrlKey('shop.example/item/123'));
  });
});

describe('product watchlist', () => {
  const watchlist = new ProductWatchlist([
    {
      reportId: 1,
      productName: 'Galaxy S21 fast charger',
      brand: 'Samsung',
      model: 'EP-TA800',
      sellerId: 'shenzhen-power-01',
      listingUrl: 'https://shop.example/item/555',
    },
    { reportId: 2, productName: '어린이 자석 장난감 세트', brand: null },
    { reportId: 3, productName: 'Hair dryer supersonic', brand: '다이슨' },
  ]);

  it('finds a report by model number written differently', () => {
    const [hit] = watchlist.match({ text: 'charger ep ta800 white' });
    expect(hit).toMatchObject({ reportId: 1, matchedOn: ['model'] });
  });

  it('finds a report by its title in the other script of the brand', () => {
    const [hit] = watchlist.match({ text: '삼성 갤럭시 S21 Fast Charger' });
    expect(hit?.reportId).toBe(1);
    expect(hit?.matchedOn).toContain('title');
    expect(hit?.matchedOn).toContain('brand');
  });

  it('finds a report by listing URL or seller id', () => {
    expect(watchlist.match({ text: 'gift', listingUrl: 'http://m.shop.example/item/555/' })[0]).toMatchObject(
      {
        reportId: 1,
        matchedOn: ['listingUrl'],
      },
    );
    expect(watchlist.match({ text: 'gift', sellerId: 'SHENZHEN_POWER_01' })[0]?.reportId).toBe(1);
  });

  it('matches a Korean title and a transliterated brand', () => {
    expect(watchlist.match({ text: '어린이 자석 장난감' })[0]?.reportId).toBe(2);
    expect(watchlist.match({ text: 'Dyson supersonic hair dryer HD08' })[0]?.reportId).toBe(3);
  });

  it('leaves near misses alone: another number, another brand, another model, another seller', () => {
    expect(watchlist.match({ text: 'Samsung Galaxy S22 fast charger' })).toEqual([]);
    expect(watchlist.match({ text: 'Xiaomi Galaxy S21 fast charger' })).toEqual([]);
    expect(watchlist.match({ text: 'Samsung Galaxy S21 fast charger EP-TA845' })).toEqual([]);
    expect(watchlist.match({ text: 'phone case', sellerId: 'shenzhen-power-02' })).toEqual([]);
    expect(watchlist.match({ text: 'hair band' })).toEqual([]);
  });
});
