import { sql } from 'kysely';
import type { AnalyticalModel } from '../analytical-model.js';
import { column, commonParameters, inPeriod, labels, num, numberParameter, rankingResult, text } from './model-kit.js';
import { PARCEL_FACT } from './paid-parcels.js';

interface RepeatedGoods {
  pccc: string;
  hs6: string;
  parcels: unknown;
  units: unknown;
  value_krw: unknown;
}

/**
 * S2 ★ Commercial-volume buyer: a PCCC that receives the same goods (HS6) in many parcels and many units
 * within the period imports for resale under the personal-use relief.
 */
export const commercialVolumeBuyer: AnalyticalModel = {
  id: 'S2',
  version: '1.0.1',
  group: 'splitting',
  firstTwelve: true,
  name: text('Commercial-volume buyer', '상업용 물량 구매자', 'Acheteur en volume commercial'),
  question: text(
    'Which personal buyers import quantities that look like resale?',
    '어떤 개인 구매자가 판매용으로 보이는 수량을 수입하는가?',
    'Quels acheteurs particuliers importent des quantités qui ressemblent à de la revente ?',
  ),
  method: text(
    'For each PCCC and HS6 code, the parcels and units received in the period are summed. Buyers who received the same goods in at least the minimum parcels and units are ranked by units, with the value in won.',
    '개인통관고유부호와 HS6 코드별로 기간 중 받은 화물 수와 수량을 합산한다. 같은 물품을 최소 화물 수와 수량 이상 받은 구매자를 수량 순으로 원화 가액과 함께 표시한다.',
    "Pour chaque PCCC et chaque code SH6, les colis et unités reçus sur la période sont additionnés. Les acheteurs ayant reçu les mêmes marchandises en au moins le minimum de colis et d'unités sont classés par unités, avec la valeur en wons.",
  ),
  inputs: [PARCEL_FACT, 'intake_analysis_parcel_line'],
  parameters: [
    commonParameters.minParcels(3),
    numberParameter('min_units', text('Minimum units of the same goods', '같은 물품 최소 수량', 'Unités minimum des mêmes marchandises'), 12, 1, 100_000, 'integer'),
    commonParameters.limit(),
  ],
  async run(context) {
    const minParcels = num(context.parameters.min_parcels);
    const minUnits = num(context.parameters.min_units);
    // Nearly every code and HS6 pair has one line (at 10,000,000 parcels 14.7 million pairs, 4,000 flagged):
    // counting distinct parcels for each pair sorted every pair's lines apart. A pair needs at least the
    // minimum parcels in lines and the minimum units (quantities are positive: intake refuses others), so
    // one sort with window counts keeps only the few pairs that can qualify, and only those are counted
    // exactly. The sort is by byte order ("C"): the database's own collation compares slower, and
    // grouping does not depend on it. The lines are joined to the fact rows, which carry the assessed
    // price and the declared value, rather than to intake's parcels and clearance's assessments both.
    const rows = await context.query<RepeatedGoods>(sql`
      select pccc, hs6, count(distinct tracking_number) as parcels, sum(quantity) as units, sum(value_krw) as value_krw
      from (
        select declared.*, count(*) over code_goods as lines, sum(quantity) over code_goods as all_units
        from (
          select f.tracking_number, f.pccc, l.hs6, l.quantity, f.declared_krw * l.value / f.declared_value as value_krw
          from intake_analysis_parcel_line l
          join ${sql.table(PARCEL_FACT)} f on f.parcel_id = l.parcel_id
          where ${inPeriod('f.arrival_date', context)} and f.parcel_row and f.assessed and f.declared_value > 0
            and f.pccc is not null and l.hs6 is not null
        ) declared
        window code_goods as (partition by pccc collate "C", hs6 collate "C")
      ) counted
      where lines >= ${minParcels} and all_units >= ${minUnits}
      group by pccc, hs6
      having count(distinct tracking_number) >= ${minParcels} and sum(quantity) >= ${minUnits}
      order by pccc, hs6
    `);
    return rankingResult({
      rows,
      kind: 'pccc',
      key: (row) => row.pccc,
      score: (row) => num(row.units),
      minScore: 0,
      limit: num(context.parameters.limit),
      evidence: text(
        '{units} units of HS {hs6} in {parcels} parcels, KRW {value_krw}',
        'HS {hs6} 물품 {units}개, 화물 {parcels}건, {value_krw}원',
        '{units} unités du SH {hs6} en {parcels} colis, {value_krw} KRW',
      ),
      columns: [
        column('pccc', 'entity'),
        column('hs6', 'text'),
        column('parcels', 'number'),
        column('units', 'number', text('Units', '수량', 'Unités')),
        column('value_krw', 'money_krw', text('Value (KRW)', '가액(원)', 'Valeur (KRW)')),
      ],
      cells: (row) => ({
        pccc: row.pccc,
        hs6: row.hs6,
        parcels: num(row.parcels),
        units: num(row.units),
        value_krw: Math.round(num(row.value_krw)),
      }),
      chartTitle: text('Units of the same goods per buyer', '구매자별 동일 물품 수량', 'Unités des mêmes marchandises par acheteur'),
      entityLabel: labels.pccc,
    });
  },
};
