import type { ActiveRiskModel, RiskDeclaration } from '../../risk/index.js';
import type { ParcelFacts } from '../domain/parcel-facts.js';
import type { RiskScore, RiskScorer } from '../domain/risk-scorer.js';

/**
 * Scores parcels with the risk module's active GBDT model: each declaration line is one model input,
 * the parcel's score is its riskiest line's, and the reasons are that line's TreeSHAP contributions that
 * raised the risk, as messages.
 */
export class RiskModelScorer implements RiskScorer {
  readonly modelVersion: string;

  constructor(private readonly model: ActiveRiskModel) {
    this.modelVersion = `gbdt-v${model.version}`;
  }

  score(facts: ParcelFacts): RiskScore {
    const declarations = riskDeclarationsOfFacts(facts, this.model.priceInWon);
    if (declarations.length === 0) return { score: 0, signals: [{ code: 'heuristic.no_lines', params: {} }] };
    const assessments = this.model.assess(declarations);
    let riskiest = assessments[0]!;
    for (const assessment of assessments) if (assessment.score > riskiest.score) riskiest = assessment;
    return {
      score: riskiest.score,
      signals: riskiest.reasons.filter((reason) => reason.contribution > 0).map((reason) => reason.message),
    };
  }
}

/**
 * One model input per line. Prices go to the model in won at the customs weekly rate of the declaration
 * date; a currency without a loaded week is left to the model as missing.
 */
export function riskDeclarationsOfFacts(
  facts: ParcelFacts,
  priceInWon: ActiveRiskModel['priceInWon'],
): RiskDeclaration[] {
  const date =
    facts.declaredOn ?? facts.arrivalDate ?? new Date(facts.receivedAtMs).toISOString().slice(0, 10);
  return facts.lines.map((line) => {
    const declaration: RiskDeclaration = { date };
    if (facts.officeCode) declaration.officeId = facts.officeCode;
    if (facts.buyerPccc) declaration.importerId = facts.buyerPccc;
    if (facts.declarantCode ?? facts.carrierCode)
      declaration.declarantId = (facts.declarantCode ?? facts.carrierCode)!;
    if (facts.sellerId) declaration.sellerId = facts.sellerId;
    if (facts.carrierCode) declaration.courierId = facts.carrierCode;
    if (line.hs6) declaration.hs6Code = line.hs6;
    if (facts.senderCountry) declaration.departureCountry = facts.senderCountry;
    if (line.originCountry) declaration.originCountry = line.originCountry;
    if (line.netMassKg !== null) declaration.netMassKg = line.netMassKg;
    const won = priceInWon(String(line.value), line.currency, date);
    if (won !== undefined) declaration.itemPriceKrw = won;
    return declaration;
  });
}
