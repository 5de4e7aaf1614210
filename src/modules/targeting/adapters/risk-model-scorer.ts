import type { ActiveRiskModel } from '../../risk/index.js';
import type { ParcelFacts } from '../domain/parcel-facts.js';
import type { RiskScore, RiskScorer } from '../domain/risk-scorer.js';

/**
 * Scores parcels with the risk module's active GBDT model, through risk's own parcel assessment (the one
 * the parcel page shows): the parcel's score is its riskiest line's, and the reasons are that line's
 * TreeSHAP contributions that raised the risk, in words.
 */
export class RiskModelScorer implements RiskScorer {
  readonly modelVersion: string;

  constructor(private readonly model: ActiveRiskModel) {
    this.modelVersion = `gbdt-v${model.version}`;
  }

  score(facts: ParcelFacts): RiskScore {
    const assessment = this.model.assessParcel(facts);
    if (!assessment) return { score: 0, reasons: ['no declaration lines to score'] };
    return { score: assessment.score, reasons: assessment.reasons };
  }
}
