/**
 * Does the picture match the declaration? Compares what the scan shows (named threats, the share of
 * metal) with the declared lines, so that the analyst sees "declared clothing, seen a gun" at once.
 */
export interface DeclaredLine {
  lineNumber: number;
  description: string;
  hsCode: string | null;
}

export interface SeenThreat {
  label: string;
  score: number;
}

export interface DeclarationMatch {
  /** True when something seen is not explained by any declared line. */
  mismatch: boolean;
  /** One sentence per finding, for the officer. */
  findings: string[];
  /** Threat labels seen above the threshold, strongest first. */
  threats: string[];
  /** The threats of `threats` that no declared line explains (their boxes are drawn red). */
  undeclared: string[];
}

/** HS headings under which each threat label would be declared honestly. */
const HONEST_HEADINGS: Record<string, readonly string[]> = {
  gun: ['9301', '9302', '9303', '9304', '9305', '9306'],
  shuriken: ['9307', '8211'],
  razor_blade: ['8212', '8214'],
  knife: ['8211', '9307'],
};

const THREAT_NAMES: Record<string, string> = {
  gun: 'a gun',
  shuriken: 'a throwing star (shuriken)',
  razor_blade: 'razor blades',
  knife: 'a knife',
};

/** Chapters of goods that hold little metal: plastics, rubber, leather, textiles, clothing, shoes, paper, books. */
const NON_METALLIC_CHAPTERS = new Set([
  '39',
  '40',
  '41',
  '42',
  '43',
  '48',
  '49',
  '50',
  '51',
  '52',
  '53',
  '54',
  '55',
  '56',
  '57',
  '58',
  '59',
  '60',
  '61',
  '62',
  '63',
  '64',
  '65',
  '66',
  '67',
]);

export function compareWithDeclaration(
  threats: readonly SeenThreat[],
  metalFraction: number,
  lines: readonly DeclaredLine[],
  options: { threatThreshold?: number; metalFractionLimit?: number } = {},
): DeclarationMatch {
  const threshold = options.threatThreshold ?? 0.5;
  const metalLimit = options.metalFractionLimit ?? 0.3;
  const findings: string[] = [];
  const undeclared: string[] = [];
  const seen = threats
    .filter((threat) => threat.label !== 'other' && threat.score >= threshold)
    .sort((a, b) => b.score - a.score);
  const declaredSummary =
    lines
      .map((line) => `${line.description}${line.hsCode ? ` (HS ${line.hsCode.slice(0, 4)})` : ''}`)
      .join(', ') || 'nothing';

  for (const label of new Set(seen.map((threat) => threat.label))) {
    const headings = HONEST_HEADINGS[label] ?? [];
    const declared = lines.some(
      (line) => line.hsCode && headings.some((heading) => line.hsCode!.startsWith(heading)),
    );
    if (!declared) {
      undeclared.push(label);
      const best = seen.find((threat) => threat.label === label)!;
      findings.push(
        `The scan shows ${THREAT_NAMES[label] ?? label} (score ${best.score.toFixed(2)}) but the declaration lists ${declaredSummary}.`,
      );
    }
  }
  const allNonMetallic =
    lines.length > 0 &&
    lines.every((line) => line.hsCode && NON_METALLIC_CHAPTERS.has(line.hsCode.slice(0, 2)));
  if (allNonMetallic && metalFraction > metalLimit) {
    findings.push(
      `Dense metal makes up ${Math.round(metalFraction * 100)} % of the contents, but only non-metallic goods are declared (${declaredSummary}).`,
    );
  }
  return {
    mismatch: findings.length > 0,
    findings,
    threats: [...new Set(seen.map((threat) => threat.label))],
    undeclared,
  };
}
