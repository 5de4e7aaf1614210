import type { RuleInput } from '../modules/targeting/index.js';

/**
 * The rules and watchlists an administration begins with on its first day, before its analysts write
 * their own (docs/demo-data.md lists them). Each is an ordinary rule or list: switch a rule off on the
 * console's rules page (or `PATCH /api/v1/targeting/rules/{id}` with status `disabled`), empty a list to
 * switch off what it names.
 */
export interface StarterWatchlist {
  name: string;
  kind: 'hs' | 'seller' | 'buyer';
  description: string;
  note: string;
  /** Fixed entries, or where the entries come from: the repeat offenders found in the inspection history. */
  source: 'fixed' | 'history-sellers' | 'history-pcccs';
  entries: string[];
}

export const STARTER_WATCHLISTS: readonly StarterWatchlist[] = [
  {
    name: 'prohibited-hs',
    kind: 'hs',
    description:
      'Goods no one may import by post or courier: arms and ammunition, drug precursors, explosives',
    note: 'starter list',
    source: 'fixed',
    // 93: arms and ammunition; 2939: alkaloids (ephedrine precursors); 3601-3603: explosives and detonators.
    entries: ['93', '2939', '3601', '3602', '3603'],
  },
  {
    name: 'controlled-hs',
    kind: 'hs',
    description: 'Goods imported under conditions: knives, electronic cigarettes and their liquids',
    note: 'starter list',
    source: 'fixed',
    entries: ['821192', '854340', '240412'],
  },
  {
    name: 'suspect-sellers',
    kind: 'seller',
    description: 'Sellers whose parcels were found fraudulent at least twice in the inspection history',
    note: 'from the inspection history',
    source: 'history-sellers',
    entries: [],
  },
  {
    name: 'pccc-misuse',
    kind: 'buyer',
    description: 'Buyer codes (PCCC) found on fraudulent parcels at least twice: possibly stolen or lent',
    note: 'from the inspection history',
    source: 'history-pcccs',
    entries: [],
  },
];

export const STARTER_RULES: readonly Omit<RuleInput, 'activate'>[] = [
  {
    name: 'Prohibited goods by HS code',
    description: 'Arms, drug precursors and explosives: always inspected and scanned',
    expression: 'line.hs6 in list "prohibited-hs"',
    lane: 'red',
    xrayReferral: true,
    mandatory: true,
  },
  {
    name: 'Controlled goods by HS code',
    description:
      'Knives and electronic cigarettes: documents checked, the scan compared with the declaration',
    expression: 'line.hs6 in list "controlled-hs"',
    lane: 'yellow',
    xrayReferral: true,
  },
  {
    name: 'Weapon and drug words in the description',
    description: 'What sellers write when the HS code hides the goods',
    expression:
      'line.description contains "pistol" or line.description contains "ammunition" or line.description contains "ephedrine" or line.description contains "taser"',
    lane: 'red',
    xrayReferral: true,
  },
  {
    name: 'Declared far under the usual price',
    description:
      'A fifth of the usual unit value or less: the scan shows whether the goods are what is declared',
    expression: 'line.unitValueRatio < 20%',
    lane: 'yellow',
    xrayReferral: true,
  },
  {
    name: 'Sellers with earlier frauds',
    expression: 'seller.id in list "suspect-sellers"',
    lane: 'yellow',
  },
  {
    name: 'Buyer codes misused before',
    expression: 'buyer.pccc in list "pccc-misuse"',
    lane: 'red',
  },
  {
    name: 'Sellers sharing a phone or address',
    description:
      'Three sellers or more ship from one phone number or street: one business under several names, as rings of resellers and counterfeiters work',
    expression: 'seller.sharingContact >= 3',
    lane: 'yellow',
  },
  {
    name: 'Recalled products',
    description:
      'A product-safety agency reported the product (recall, ban): documents checked, the scan compared with the report',
    expression: 'productSafety.reported = true',
    lane: 'yellow',
    xrayReferral: true,
  },
];
