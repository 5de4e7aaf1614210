import { sql } from 'kysely';
import type { AnalyticalModel } from '../analytical-model.js';
import { column, commonParameters, inPeriod, labels, num, rankingResult, round, text } from './model-kit.js';

interface CarrierQuality {
  carrier_code: string;
  parcels: unknown;
  missing_pccc: unknown;
  missing_phone: unknown;
  missing_hs: unknown;
  missing_mass: unknown;
  token_value: unknown;
  mass_implausible: unknown;
  late: unknown;
}

/** The defects counted per parcel, in the order the table shows them. */
const defects = [
  'missing_pccc',
  'missing_phone',
  'missing_hs',
  'missing_mass',
  'token_value',
  'mass_implausible',
  'late',
] as const;

const defectLabels = {
  missing_pccc: text('No PCCC (%)', '통관부호 누락(%)', 'Sans PCCC (%)'),
  missing_phone: text('No consignee phone (%)', '수하인 전화 누락(%)', 'Sans téléphone (%)'),
  missing_hs: text('Line without HS code (%)', 'HS 누락 품목(%)', 'Ligne sans code SH (%)'),
  missing_mass: text('Line without net mass (%)', '순중량 누락 품목(%)', 'Ligne sans masse nette (%)'),
  token_value: text('Value 0 or 1 (%)', '가격 0 또는 1(%)', 'Valeur 0 ou 1 (%)'),
  mass_implausible: text('Net mass above gross (%)', '순중량 > 총중량(%)', 'Masse nette > brute (%)'),
  late: text('Data after arrival (%)', '도착 후 자료 수신(%)', 'Données après arrivée (%)'),
};

/**
 * K1 Carrier data-quality scorecard: the share of each carrier's parcels whose advance data is incomplete,
 * implausible or late; the score is the mean defect share, so one carrier's sloppiness stands out.
 */
export const carrierDataQuality: AnalyticalModel = {
  id: 'K1',
  version: '1.0.0',
  group: 'carriers',
  firstTwelve: false,
  name: text('Carrier data-quality scorecard', '운송사 자료 품질 평가표', 'Tableau de qualité des données des transporteurs'),
  question: text(
    'Which carriers or posts send incomplete, late or implausible data?',
    '어떤 운송사나 우정당국이 불완전하거나 늦거나 믿기 어려운 자료를 보내는가?',
    'Quels transporteurs ou postes envoient des données incomplètes, tardives ou invraisemblables ?',
  ),
  method: text(
    'For each carrier, the share of its parcels with a missing PCCC, consignee phone, HS code or net mass, a value of 0 or 1, net mass above gross mass, or data received after arrival is computed. The score is the mean of these shares; hold compliance is not scored because the views do not yet record whether held items were presented.',
    '운송사별로 통관부호·수하인 전화·HS 코드·순중량 누락, 가격 0 또는 1, 순중량이 총중량보다 큰 경우, 도착 후 자료 수신 화물의 비율을 계산한다. 점수는 이 비율들의 평균이며, 보류 화물 제시 여부는 아직 분석 뷰에 기록되지 않아 평가하지 않는다.',
    "Pour chaque transporteur, la part de ses colis sans PCCC, téléphone, code SH ou masse nette, de valeur 0 ou 1, de masse nette supérieure à la brute, ou dont les données arrivent après l'arrivée est calculée. Le score est la moyenne de ces parts ; la présentation des colis retenus n'est pas notée car les vues ne l'enregistrent pas encore.",
  ),
  inputs: ['intake_analysis_buyer_parcel', 'intake_analysis_parcel_line', 'intake_analysis_parcel_receipt'],
  parameters: [
    commonParameters.minParcels(20, 100_000),
    {
      name: 'include_timeliness',
      label: text('Count data received after arrival', '도착 후 수신 자료 포함', "Compter les données reçues après l'arrivée"),
      type: 'boolean',
      default: true,
    },
    commonParameters.minScore(5),
    commonParameters.limit(),
  ],
  async run(context) {
    const rows = await context.query<CarrierQuality>(sql`
      with parcels as (
        select parcel_id, carrier_code, pccc, consignee_phone_key, declared_value, gross_mass_kg, arrival_date
        from intake_analysis_buyer_parcel where ${inPeriod('arrival_date', context)}
      ),
      lines as (
        select l.parcel_id, count(*) filter (where l.hs6 is null or l.hs6 = '') as no_hs,
          count(*) filter (where l.net_mass_kg is null or l.net_mass_kg = 0) as no_mass, sum(l.net_mass_kg) as net_mass_kg
        from intake_analysis_parcel_line l join parcels p on p.parcel_id = l.parcel_id
        group by l.parcel_id
      )
      select p.carrier_code, count(*) as parcels,
        count(*) filter (where p.pccc is null) as missing_pccc,
        count(*) filter (where p.consignee_phone_key = md5('')) as missing_phone,
        count(*) filter (where l.no_hs > 0) as missing_hs,
        count(*) filter (where l.no_mass > 0) as missing_mass,
        count(*) filter (where p.declared_value <= 1) as token_value,
        count(*) filter (where l.net_mass_kg > p.gross_mass_kg) as mass_implausible,
        count(*) filter (where cast(r.received_at as date) > p.arrival_date) as late
      from parcels p
      left join lines l on l.parcel_id = p.parcel_id
      left join intake_analysis_parcel_receipt r on r.parcel_id = p.parcel_id
      group by p.carrier_code
      having count(*) >= ${num(context.parameters.min_parcels)}
    `);
    const scored = defects.filter((defect) => defect !== 'late' || context.parameters.include_timeliness === true);
    const shares = rows.map((row) => ({
      carrier_code: row.carrier_code,
      parcels: num(row.parcels),
      ...Object.fromEntries(defects.map((defect) => [defect, round((100 * num(row[defect])) / num(row.parcels), 1)])),
    })) as ({ carrier_code: string; parcels: number } & Record<(typeof defects)[number], number>)[];
    return rankingResult({
      rows: shares,
      kind: 'carrier',
      key: (row) => row.carrier_code,
      score: (row) => scored.reduce((sum, defect) => sum + row[defect], 0) / scored.length,
      minScore: num(context.parameters.min_score),
      limit: num(context.parameters.limit),
      evidence: text(
        '{parcels} parcels: no PCCC {missing_pccc}%, no phone {missing_phone}%, no HS {missing_hs}%, no net mass {missing_mass}%, value 0/1 {token_value}%, net above gross {mass_implausible}%, late {late}%',
        '화물 {parcels}건: 통관부호 누락 {missing_pccc}%, 전화 누락 {missing_phone}%, HS 누락 {missing_hs}%, 순중량 누락 {missing_mass}%, 가격 0/1 {token_value}%, 순중량>총중량 {mass_implausible}%, 지연 {late}%',
        '{parcels} colis : sans PCCC {missing_pccc} %, sans téléphone {missing_phone} %, sans SH {missing_hs} %, sans masse nette {missing_mass} %, valeur 0/1 {token_value} %, nette > brute {mass_implausible} %, tardives {late} %',
      ),
      columns: [
        column('carrier_code', 'entity'),
        column('parcels', 'number'),
        ...defects.map((defect) => column(defect, 'number', defectLabels[defect])),
      ],
      cells: (row) => ({ ...row }),
      chartTitle: text('Carriers by mean defect share (%)', '평균 결함 비율 상위 운송사(%)', 'Transporteurs par part moyenne de défauts (%)'),
      entityLabel: labels.carrier_code,
    });
  },
};
