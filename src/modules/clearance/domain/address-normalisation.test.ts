import { describe, expect, it } from 'vitest';
import { normaliseAddress, romaniseHangul } from './address-normalisation.js';

describe('delivery address normalisation', () => {
  it('romanises Hangul syllables', () => {
    expect(romaniseHangul('테헤란로')).toBe('teheranro');
    expect(romaniseHangul('강남구')).toBe('gangnamgu');
    expect(romaniseHangul('서울')).toBe('seoul');
  });

  it.each([
    ['서울특별시 강남구 테헤란로 123, 101동 202호', '123 Teheran-ro, Gangnam-gu, Seoul, 101-202'],
    [
      '서울 강남구 테헤란로123 101동 202호 (역삼동)',
      '123, TEHERAN RO, Kangnam-gu, Seoul 06234, Republic of Korea, Apt 101-202',
    ],
    ['경기도 성남시 분당구 판교역로 235', '235 Pangyoyeok-ro, Bundang-gu, Seongnam-si, Gyeonggi-do'],
    ['서울특별시 강남구 강남대로94길 10', '10 Gangnam-daero 94-gil, Gangnam-gu, Seoul'],
    ['서울 종로구 종로 1', '1 Jong-ro, Jongno-gu, Seoul'],
    ['서울특별시  강남구   테헤란로 123 , 101동 202호', '123 teheran-ro gangnam-gu seoul 101dong 202ho'],
  ])('%s meets %s', (korean, latin) => {
    expect(normaliseAddress(korean).key).toBe(normaliseAddress(latin).key);
  });

  it('keeps different units, buildings and roads apart', () => {
    const home = normaliseAddress('서울특별시 강남구 테헤란로 123, 101동 202호').key;
    expect(normaliseAddress('서울특별시 강남구 테헤란로 123, 101동 203호').key).not.toBe(home);
    expect(normaliseAddress('서울특별시 강남구 테헤란로 125, 101동 202호').key).not.toBe(home);
    expect(normaliseAddress('서울특별시 강남구 선릉로 123, 101동 202호').key).not.toBe(home);
    expect(normaliseAddress('부산광역시 강남구 테헤란로 123, 101동 202호').key).not.toBe(home);
  });

  it('reads the components', () => {
    expect(normaliseAddress('123 Teheran-ro, Gangnam-gu, Seoul, 101-202')).toMatchObject({
      city: 'seoul',
      district: 'gangnam',
      road: 'teheranro',
      buildingNumber: '123',
      unit: '101-202',
    });
  });

  const flat = '서울특별시 강남구 테헤란로 123, 101동 1203호';
  /** Forms of one flat that must meet: Korean glued or spaced, Latin block-unit, apartment and building words. */
  const mustMatch: [string, string][] = [
    [flat, '서울시 강남구 테헤란로123 101동1203호'],
    [flat, '서울 강남구 테헤란로 123 101 동 1203 호'],
    [flat, '123 Teheran-ro, Gangnam-gu, Seoul, 101-1203'],
    [flat, 'Apt 1203, Bldg 101, 123 Teheran-ro, Gangnam-gu, Seoul'],
    [flat, 'Unit 1203, Building 101, 123 Teheran-ro Gangnam-gu Seoul 06234'],
    [flat, '123 Teheran-ro, Yeoksam-dong, Gangnam-gu, Seoul 101-dong 1203-ho'],
    [flat, 'Dong 101 Ho 1203, 123 Teheran-ro, Gangnam-gu, Seoul, Republic of Korea'],
    [flat, '서울특별시 강남구 테헤란로 123 (역삼동, 래미안) 101동 1203호'],
    // Road-name and lot-number forms given together: the road names the building.
    [flat, '서울 강남구 역삼동 737 테헤란로 123 101동 1203호'],
    [flat, '737 Yeoksam-dong, 123 Teheran-ro, Gangnam-gu, Seoul 101-1203'],
    ['서울특별시 강남구 테헤란로 123 1203호', '#1203, 123 Teheran-ro, Gangnam-gu, Seoul'],
    ['서울 강남구 역삼동 737 101동 1203호', '737 Yeoksam-dong, Gangnam-gu, Seoul 101-1203'],
  ];
  /** Near misses that must stay apart: another flat, block, building, road or city, or no unit at all. */
  const mustNotMatch: [string, string][] = [
    [flat, '서울시 강남구 테헤란로123 101동1204호'],
    [flat, '서울시 강남구 테헤란로123 102동1203호'],
    [flat, '서울특별시 강남구 테헤란로 125, 101동 1203호'],
    [flat, '서울특별시 강남구 선릉로 123, 101동 1203호'],
    [flat, '부산광역시 강남구 테헤란로 123, 101동 1203호'],
    [flat, '서울특별시 강남구 테헤란로 123'],
    [flat, '#1203, 123 Teheran-ro, Gangnam-gu, Seoul'],
    ['123 Teheran-ro, Gangnam-gu, Seoul, 101-1203', '123 Teheran-ro, Gangnam-gu, Seoul, 101-1230'],
  ];

  it.each(mustMatch)('%s must match %s', (a, b) => {
    expect(normaliseAddress(a).key).toBe(normaliseAddress(b).key);
  });

  it.each(mustNotMatch)('%s must not match %s', (a, b) => {
    expect(normaliseAddress(a).key).not.toBe(normaliseAddress(b).key);
  });
});
