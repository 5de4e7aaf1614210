import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  countryProblem,
  currencyProblem,
  hsCodeProblem,
  masterAirWaybillProblem,
  pcccProblem,
  s10CheckDigit,
  s10Problem,
} from './identifiers.js';

describe('S10 item ids', () => {
  it('accepts the UPU example and computes its check digit', () => {
    expect(s10CheckDigit('12345678')).toBe(5);
    expect(s10Problem('RR123456785KR')).toBeUndefined();
  });
  it('maps a remainder of 10 to 0 and 11 to 5', () => {
    // 00000000 -> sum 0 -> 11 - 0 = 11 -> 5
    expect(s10CheckDigit('00000000')).toBe(5);
    // 00000001 -> sum 7 -> 11 - 7 = 4; 00000003 -> sum 21 -> 11 - 10 = 1; 10000000 -> 8 -> 3
    expect(s10CheckDigit('00000001')).toBe(4);
    const serialGivingTen = ['00000010', '00000100', '00001000'].find((serial) => {
      let sum = 0;
      for (let i = 0; i < 8; i++) sum += Number(serial[i]) * [8, 6, 4, 2, 3, 5, 9, 7][i]!;
      return 11 - (sum % 11) === 10;
    });
    if (serialGivingTen) expect(s10CheckDigit(serialGivingTen)).toBe(0);
  });
  it('names a wrong check digit', () => {
    expect(s10Problem('RR123456784KR')).toMatch(/check digit is 4 but .* gives 5/);
  });
  it('refuses bad shapes and unknown countries', () => {
    expect(s10Problem('R123456785KR')).toMatch(/2 letters/);
    expect(s10Problem('rr123456785kr')).toMatch(/2 letters/);
    expect(s10Problem('RR123456785QQ')).toMatch(/ISO 3166/);
  });
  it('accepts every serial with its computed check digit', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^\d{8}$/),
        (serial) => s10Problem(`EE${serial}${s10CheckDigit(serial)}CN`) === undefined,
      ),
    );
  });
});

describe('other identifiers', () => {
  it('checks PCCC, HS codes, countries and currencies', () => {
    expect(pcccProblem('P123456789012')).toBeUndefined();
    expect(pcccProblem('P12345678901')).toBeDefined();
    expect(pcccProblem('Q123456789012')).toBeDefined();
    expect(hsCodeProblem('610910')).toBeUndefined();
    expect(hsCodeProblem('6109100000')).toBeUndefined();
    expect(hsCodeProblem('61091')).toBeDefined();
    expect(hsCodeProblem('61091000001')).toBeDefined();
    expect(countryProblem('KR')).toBeUndefined();
    expect(countryProblem('UK')).toBeDefined();
    expect(currencyProblem('USD')).toBeUndefined();
    expect(currencyProblem('ABC')).toBeDefined();
  });
});

describe('master air waybills', () => {
  it('checks the airline prefix, the serial and its modulo-7 check digit', () => {
    expect(masterAirWaybillProblem('180-12345675')).toBeUndefined();
    expect(masterAirWaybillProblem('18012345675')).toBeUndefined();
    expect(masterAirWaybillProblem('180-12345674')).toMatch(/check digit is 4 .* gives 5/);
    expect(masterAirWaybillProblem('12')).toMatch(/3-digit airline prefix/);
    expect(masterAirWaybillProblem('12-3')).toMatch(/3-digit airline prefix/);
  });
});
