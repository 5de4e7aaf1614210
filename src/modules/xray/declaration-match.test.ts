import { describe, expect, it } from 'vitest';
import { compareWithDeclaration } from './declaration-match.js';

const shirt = { lineNumber: 1, description: 'Cotton T-shirt', hsCode: '610910' };

describe('picture against declaration', () => {
  it('flags a gun in a parcel declared as clothing', () => {
    const match = compareWithDeclaration([{ label: 'gun', score: 0.93 }], 0.1, [shirt]);
    expect(match.mismatch).toBe(true);
    expect(match.threats).toEqual(['gun']);
    expect(match.undeclared).toEqual(['gun']);
    expect(match.findings[0]).toBe(
      'The scan shows a gun (score 0.93) but the declaration lists Cotton T-shirt (HS 6109).',
    );
  });

  it('accepts a threat that is declared under its own heading, and ignores weak or no-threat boxes', () => {
    const razors = { lineNumber: 1, description: 'Safety razor blades', hsCode: '821210' };
    const declared = compareWithDeclaration([{ label: 'razor_blade', score: 0.8 }], 0.2, [razors]);
    expect(declared).toMatchObject({ mismatch: false, threats: ['razor_blade'], undeclared: [] });
    expect(
      compareWithDeclaration(
        [
          { label: 'gun', score: 0.3 },
          { label: 'other', score: 0.99 },
        ],
        0.05,
        [shirt],
      ).mismatch,
    ).toBe(false);
  });

  it('flags much metal in a parcel of textiles only', () => {
    const match = compareWithDeclaration([], 0.45, [
      shirt,
      { lineNumber: 2, description: 'Socks', hsCode: '611595' },
    ]);
    expect(match.mismatch).toBe(true);
    expect(match.findings[0]).toMatch(/Dense metal makes up 45 %/);
    expect(
      compareWithDeclaration([], 0.45, [{ lineNumber: 1, description: 'Phone', hsCode: '851713' }]).mismatch,
    ).toBe(false);
  });
});
