/**
 * The per-seller and per-PCCC analysis (issue 17 point 3, the KCS model): what a seller's or a buyer
 * code's parcels, payments, inspections and identities say, as one score made of named parts, each with
 * the sentence that explains it in ko/en/fr. Pure: the facts come from the published analysis views.
 */
import type { LocalisedText } from '../catalogue/analytical-model.js';
import { say, text } from '../catalogue/models/model-kit.js';

/** An order is taken as under-declared when its declared goods price is under this share of the price paid. */
export const UNDER_DECLARED_RATIO = 0.7;

/** A consignment's declared goods price against its order's payments, both in won. */
export interface PaidConsignment {
  declaredKrw: number;
  paidKrw: number;
}

/** What was paid against what was declared, over one entity's paid orders. */
export interface PaymentFacts {
  paidOrders: number;
  underDeclared: number;
  paidKrw: number;
  declaredKrw: number;
  /** Median of declared / paid; null without a paid order. */
  medianRatio: number | null;
}

/** Inspections and seizures of the entity's parcels. */
export interface OutcomeFacts {
  inspected: number;
  violations: number;
  seized: number;
}

export interface SellerFacts extends OutcomeFacts {
  parcels: number;
  buyers: number;
  firstDay: string | null;
  lastDay: string | null;
  registrationNumber: string | null;
  registrationStatus: string | null;
  payments: PaymentFacts;
  /** Buyer codes that got two or more of its parcels on one day. */
  splitDays: number;
  /** Codes it ships to that appear under more than one name. */
  codesUnderSeveralNames: number;
  /** Other sellers that ship with its phone or its address. */
  sellersSharingContacts: number;
}

export interface PcccFacts extends OutcomeFacts {
  parcels: number;
  sellers: number;
  firstDay: string | null;
  lastDay: string | null;
  names: number;
  phones: number;
  addresses: number;
  /** The most codes met at one of its delivery addresses, itself included. */
  codesAtOneAddress: number;
  payments: PaymentFacts;
  /** Days on which two or more parcels came to it. */
  splitDays: number;
  /** The portal's registry, when the code is registered there. */
  registry: {
    status: string;
    suspended: boolean;
    openMisuseReports: number;
    confirmedMisuseReports: number;
  } | null;
}

/** One part of the score: what it looks at, its points and the sentence that shows why. */
export interface ScorePart {
  part:
    | 'payments'
    | 'violations'
    | 'seizures'
    | 'splitting'
    | 'identity'
    | 'shared_address'
    | 'network'
    | 'registry'
    | 'volume';
  points: number;
  evidence: LocalisedText;
}

export interface EntityScore {
  score: number;
  band: 'low' | 'medium' | 'high';
  parts: ScorePart[];
}

/** Caps keep one repeated signal from drowning the others. */
const capped = (value: number, perUnit: number, cap: number) => Math.min(value * perUnit, cap);

export function paymentFacts(consignments: readonly PaidConsignment[]): PaymentFacts {
  const ratios = consignments.map((row) => row.declaredKrw / row.paidKrw).sort((a, b) => a - b);
  const middle = ratios.length / 2;
  return {
    paidOrders: consignments.length,
    underDeclared: ratios.filter((ratio) => ratio < UNDER_DECLARED_RATIO).length,
    paidKrw: consignments.reduce((sum, row) => sum + row.paidKrw, 0),
    declaredKrw: consignments.reduce((sum, row) => sum + row.declaredKrw, 0),
    medianRatio:
      ratios.length === 0
        ? null
        : ratios.length % 2
          ? ratios[Math.floor(middle)]!
          : (ratios[middle - 1]! + ratios[middle]!) / 2,
  };
}

export function scoreSeller(facts: SellerFacts): EntityScore {
  return scored([
    paymentPart(facts.payments),
    ...outcomeParts(facts),
    facts.splitDays > 0 && {
      part: 'splitting',
      points: capped(facts.splitDays, 1, 5),
      evidence: say(
        text(
          '{days} time(s) a buyer got two or more of its parcels on one day',
          '구매자 한 명이 같은 날 이 판매자의 화물을 2건 이상 받은 경우 {days}회',
          '{days} fois un acheteur a reçu deux de ses colis ou plus le même jour',
        ),
        { days: facts.splitDays },
      ),
    },
    facts.codesUnderSeveralNames > 0 && {
      part: 'identity',
      points: capped(facts.codesUnderSeveralNames, 3, 12),
      evidence: say(
        text(
          'Ships to {codes} buyer code(s) used under more than one name',
          '둘 이상의 성명으로 쓰인 개인통관고유부호 {codes}개로 발송',
          'Expédie vers {codes} code(s) acheteur utilisé(s) sous plusieurs noms',
        ),
        { codes: facts.codesUnderSeveralNames },
      ),
    },
    facts.sellersSharingContacts > 0 && {
      part: 'network',
      points: capped(facts.sellersSharingContacts, 3, 9),
      evidence: say(
        text(
          '{sellers} other seller(s) ship with the same phone or address',
          '다른 판매자 {sellers}곳이 같은 전화번호나 주소로 발송',
          '{sellers} autre(s) vendeur(s) expédie(nt) avec le même téléphone ou la même adresse',
        ),
        { sellers: facts.sellersSharingContacts },
      ),
    },
    facts.registrationStatus === 'suspended' && {
      part: 'registry',
      points: 4,
      evidence: say(
        text(
          'Its foreign-seller registration {number} is suspended',
          '해외 판매자 등록 {number}이(가) 정지됨',
          'Son enregistrement de vendeur étranger {number} est suspendu',
        ),
        { number: facts.registrationNumber ?? '–' },
      ),
    },
  ]);
}

export function scorePccc(facts: PcccFacts): EntityScore {
  const identityPoints = 2 * (facts.names - 1) + (facts.phones - 1) + (facts.addresses - 1);
  return scored([
    paymentPart(facts.payments),
    ...outcomeParts(facts),
    facts.splitDays > 0 && {
      part: 'splitting',
      points: capped(facts.splitDays, 2, 8),
      evidence: say(
        text(
          'Two or more parcels arrived on {days} day(s)',
          '{days}일 동안 하루에 화물 2건 이상 도착',
          'Deux colis ou plus sont arrivés sur {days} jour(s)',
        ),
        { days: facts.splitDays },
      ),
    },
    identityPoints > 0 && {
      part: 'identity',
      points: Math.min(identityPoints, 12),
      evidence: say(
        text(
          '{names} names, {phones} phones and {addresses} addresses on {parcels} parcels',
          '화물 {parcels}건에 성명 {names}개, 전화번호 {phones}개, 주소 {addresses}개',
          '{names} noms, {phones} téléphones et {addresses} adresses sur {parcels} colis',
        ),
        { ...facts },
      ),
    },
    facts.codesAtOneAddress > 1 && {
      part: 'shared_address',
      points: capped(facts.codesAtOneAddress - 1, 2, 8),
      evidence: say(
        text(
          'One of its delivery addresses receives parcels under {codes} codes',
          '배송지 한 곳에서 부호 {codes}개로 화물을 받음',
          'Une de ses adresses de livraison reçoit des colis sous {codes} codes',
        ),
        { codes: facts.codesAtOneAddress },
      ),
    },
    facts.parcels > 5 && {
      part: 'volume',
      points: capped(facts.parcels - 5, 0.5, 5),
      evidence: say(
        text(
          '{parcels} parcels from {sellers} seller(s): more than a household buys',
          '판매자 {sellers}곳에서 화물 {parcels}건: 가정 소비보다 많음',
          '{parcels} colis de {sellers} vendeur(s) : plus qu’un ménage n’achète',
        ),
        { ...facts },
      ),
    },
    facts.registry !== null &&
      (facts.registry.suspended ||
        facts.registry.confirmedMisuseReports > 0 ||
        facts.registry.openMisuseReports > 0) && {
        part: 'registry',
        points: Math.min(
          (facts.registry.suspended ? 3 : 0) +
            5 * facts.registry.confirmedMisuseReports +
            2 * facts.registry.openMisuseReports,
          12,
        ),
        evidence: say(
          facts.registry.suspended
            ? text(
                'List clearance suspended; the holder reported misuse ({confirmed} confirmed, {open} open)',
                '목록통관 정지; 명의자 도용 신고 (확인 {confirmed}건, 처리 중 {open}건)',
                'Dédouanement simplifié suspendu ; le titulaire a signalé un usage abusif ({confirmed} confirmé(s), {open} ouvert(s))',
              )
            : text(
                'The holder reported misuse ({confirmed} confirmed, {open} open)',
                '명의자 도용 신고 (확인 {confirmed}건, 처리 중 {open}건)',
                'Le titulaire a signalé un usage abusif ({confirmed} confirmé(s), {open} ouvert(s))',
              ),
          {
            confirmed: facts.registry.confirmedMisuseReports,
            open: facts.registry.openMisuseReports,
          },
        ),
      },
  ]);
}

function paymentPart(payments: PaymentFacts): ScorePart | false {
  if (payments.underDeclared === 0) return false;
  return {
    part: 'payments',
    points: capped(payments.underDeclared, 3, 12),
    evidence: say(
      text(
        '{under} of {orders} paid orders declared under {k} of the price paid (KRW {declared} declared for KRW {paid} paid; median ratio {median})',
        '결제 주문 {orders}건 중 {under}건이 결제금액의 {k} 미만으로 신고됨 (결제 {paid}원에 신고 {declared}원; 비율 중앙값 {median})',
        '{under} commandes payées sur {orders} déclarées sous {k} du prix payé ({declared} KRW déclarés pour {paid} KRW payés ; ratio médian {median})',
      ),
      {
        under: payments.underDeclared,
        orders: payments.paidOrders,
        k: UNDER_DECLARED_RATIO,
        declared: Math.round(payments.declaredKrw),
        paid: Math.round(payments.paidKrw),
        median: Math.round((payments.medianRatio ?? 0) * 100) / 100,
      },
    ),
  };
}

function outcomeParts(facts: OutcomeFacts & { parcels: number }): (ScorePart | false)[] {
  return [
    facts.violations > 0 && {
      part: 'violations',
      points: capped(facts.violations, 4, 12),
      evidence: say(
        text(
          '{violations} violation(s) found in {inspected} inspection(s) of {parcels} parcels',
          '화물 {parcels}건 중 검사 {inspected}건에서 위반 {violations}건 적발',
          '{violations} infraction(s) trouvée(s) en {inspected} contrôle(s) sur {parcels} colis',
        ),
        { ...facts },
      ),
    },
    facts.seized > 0 && {
      part: 'seizures',
      points: capped(facts.seized, 4, 12),
      evidence: say(text('{seized} parcel(s) seized', '화물 {seized}건 압수', '{seized} colis saisi(s)'), {
        ...facts,
      }),
    },
  ];
}

function scored(candidates: (ScorePart | false)[]): EntityScore {
  const parts = candidates
    .filter((part): part is ScorePart => part !== false)
    .sort((a, b) => b.points - a.points);
  const score = Math.round(parts.reduce((sum, part) => sum + part.points, 0) * 10) / 10;
  return { score, band: score >= 8 ? 'high' : score >= 3 ? 'medium' : 'low', parts };
}
