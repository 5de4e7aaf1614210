/**
 * What an inspection found, and the training label it gives the risk model. Only inspected parcels get
 * a label: a parcel released without inspection says nothing about fraud and stays unlabelled.
 */
export const inspectionOutcomes = [
  'no_finding',
  'undervaluation',
  'misdeclared_goods',
  'prohibited_goods',
] as const;
export type InspectionOutcome = (typeof inspectionOutcomes)[number];

/** The KCS label scheme (shared/data/kcs-declarations): fraud 0/1, critical 0 none, 1 fraud, 2 threatens public safety. */
export interface InspectionLabel {
  fraud: boolean;
  criticalLevel: 0 | 1 | 2;
}

export function labelOfOutcome(outcome: InspectionOutcome): InspectionLabel {
  switch (outcome) {
    case 'no_finding':
      return { fraud: false, criticalLevel: 0 };
    case 'undervaluation':
    case 'misdeclared_goods':
      return { fraud: true, criticalLevel: 1 };
    case 'prohibited_goods':
      return { fraud: true, criticalLevel: 2 };
  }
}

/** A seizure always labels the parcel as critical fraud, whatever the inspection outcome said. */
export const SEIZURE_LABEL: InspectionLabel = Object.freeze({ fraud: true, criticalLevel: 2 });

/** Seized goods categories, following the WCO CEN commodity groups. */
export const seizureCategories = [
  'narcotics',
  'precursors',
  'weapons_ammunition',
  'explosives',
  'cites_wildlife',
  'ipr_counterfeit',
  'tobacco',
  'alcohol',
  'medicines',
  'currency',
  'cultural_goods',
  'hazardous_goods',
  'other',
] as const;
export type SeizureCategory = (typeof seizureCategories)[number];
