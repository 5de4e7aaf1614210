import type { AnalyticalModel } from '../analytical-model.js';
import { randomControlSampleModel } from './m2-random-control-sample.js';
import { splitConsignmentModel } from './s1-split-consignment.js';
import { hsClassifier } from './c1-hs-classifier.js';
import { pcccMisuse } from './i1-pccc-misuse.js';
import { sellerPcccTheft } from './i2-seller-pccc-theft.js';
import { partyNetwork } from './n1-party-network.js';
import { paymentVersusDeclared } from './p1-payment-vs-declared.js';
import { recallMatching } from './ps1-recall-matching.js';
import { commercialVolumeBuyer } from './s2-commercial-volume-buyer.js';
import { unitValueOutlier } from './v1-unit-value-outlier.js';
import { declaredVersusPaid } from './v3-declared-vs-paid.js';
// Operations and cross-cutting models (issue 17, analytics-b).
import { entityResolution } from './i5-entity-resolution.js';
import { partyCompliance } from './n2-party-compliance.js';
import { carrierDataQuality } from './k1-carrier-data-quality.js';
import { carrierRisk } from './k2-carrier-risk.js';
import { restrictedGoodsScreen } from './ps3-restricted-goods.js';
import { integratedRisk } from './x1-integrated-risk.js';
import { anomalyScore } from './x2-anomaly-score.js';
import { selectionPerformance } from './m1-selection-performance.js';
import { driftMonitor } from './m3-drift-monitor.js';
import { flowDisplacement } from './m5-flow-displacement.js';
// Second wave (analytics-a): valuation, classification, origin, splitting, identity and party models.
import { fairPriceBand } from './v2-fair-price-band.js';
import { thresholdBunching } from './v4-threshold-bunching.js';
import { benfordRoundValues } from './v5-benford-round-values.js';
import { vagueDescription } from './c2-vague-description.js';
import { tariffShift } from './c3-tariff-shift.js';
import { originConsistency } from './o1-origin-consistency.js';
import { usLimitClaims } from './o3-us-limit-claims.js';
import { giftMisdeclaration } from './s3-gift-misdeclaration.js';
import { sellerOrderSplitting } from './s4-seller-order-splitting.js';
import { brushing } from './i6-brushing.js';
import { addressPhoneHubs } from './n4-address-phone-hubs.js';

/** Every model of the catalogue, in the catalogue's order within each group. */
export const catalogueModels: readonly AnalyticalModel[] = [
  unitValueOutlier,
  declaredVersusPaid,
  hsClassifier,
  splitConsignmentModel,
  commercialVolumeBuyer,
  pcccMisuse,
  sellerPcccTheft,
  paymentVersusDeclared,
  partyNetwork,
  recallMatching,
  randomControlSampleModel,
  // Operations and cross-cutting models (issue 17, analytics-b).
  entityResolution,
  partyCompliance,
  carrierDataQuality,
  carrierRisk,
  restrictedGoodsScreen,
  integratedRisk,
  anomalyScore,
  selectionPerformance,
  driftMonitor,
  flowDisplacement,
  // Second wave (analytics-a).
  fairPriceBand,
  thresholdBunching,
  benfordRoundValues,
  vagueDescription,
  tariffShift,
  originConsistency,
  usLimitClaims,
  giftMisdeclaration,
  sellerOrderSplitting,
  brushing,
  addressPhoneHubs,
];
