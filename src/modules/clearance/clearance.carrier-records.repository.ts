import { sql } from 'kysely';
import type { ClearanceDb } from './clearance.repository.js';

/** A quarter (or any span of days) and the deadlines the reader applies to a carrier's answers. */
export interface CarrierRecordsQuery {
  carrierCode: string;
  /** First and last day, `YYYY-MM-DD`, both included. */
  from: string;
  to: string;
  /** A request for information acknowledged within this many hours is answered on time. */
  answerWithinHours: number;
  /** A released parcel is due its final-address report this many days after its release. */
  deliveryReportDays: number;
  /** The moment deadlines are judged at (now, for a live evaluation). */
  asOf: Date;
}

/**
 * What clearance knows of one carrier's conduct over a span of days: its answers to requests for
 * information, the corrections its declarations needed, its final-address reports and the seizures in
 * its flow. Counts, and the first parcels of each that count against the carrier (the evidence).
 */
export interface CarrierRecords {
  /** Parcels of the carrier clearance took in during the span. */
  parcels: number;
  requestsForInformation: {
    /** Sent during the span and either answered or past their deadline. */
    due: number;
    answeredOnTime: number;
    answeredLate: number;
    unanswered: number;
    /** Sent during the span, unanswered and still within their deadline: not counted yet. */
    pending: number;
    lateSamples: number[];
  };
  corrections: {
    /** Parcels taken in during the span whose declaration had to be corrected. */
    correctedParcels: number;
    amendmentRequests: number;
    correctedAtInspection: number;
    samples: number[];
  };
  finalAddressReports: {
    /** Released during the span and either reported or past the report's due day. */
    due: number;
    reported: number;
    /** Released during the span, unreported and not yet due. */
    pending: number;
    missingSamples: number[];
  };
  seizures: {
    /** Parcels of the carrier with a seizure recorded during the span. */
    seizedParcels: number;
    byCategory: Record<string, number>;
    samples: number[];
  };
}

/** One statement per family of records, all on the carrier's parcels in clearance's own tables. */
export async function carrierRecords(db: ClearanceDb, query: CarrierRecordsQuery): Promise<CarrierRecords> {
  const carrier = query.carrierCode.toUpperCase();
  const from = sql`${query.from}::date`;
  const until = sql`(${query.to}::date + 1)`;
  const asOf = sql`${query.asOf.toISOString()}::timestamptz`;
  const [parcels, requests, corrections, reports, seizures] = await Promise.all([
    sql<{ parcels: number }>`
      select count(*)::int as parcels from clearance_parcel
      where carrier_code = ${carrier} and created_at >= ${from} and created_at < ${until}`.execute(db),
    sql<{
      on_time: number;
      late: number;
      unanswered: number;
      pending: number;
      late_samples: number[] | null;
    }>`
      with sent as (
        select parcel_id, created_at, acknowledged_at,
          created_at + make_interval(hours => ${query.answerWithinHours}) as deadline
        from clearance_notification
        where carrier_code = ${carrier} and kind = 'request_for_information'
          and created_at >= ${from} and created_at < ${until})
      select
        count(*) filter (where acknowledged_at <= deadline)::int as on_time,
        count(*) filter (where acknowledged_at > deadline)::int as late,
        count(*) filter (where acknowledged_at is null and deadline < ${asOf})::int as unanswered,
        count(*) filter (where acknowledged_at is null and deadline >= ${asOf})::int as pending,
        (array_agg(parcel_id order by created_at) filter (
          where acknowledged_at > deadline or (acknowledged_at is null and deadline < ${asOf})))[1:5] as late_samples
      from sent`.execute(db),
    sql<{ corrected: number; amendments: number; at_inspection: number; samples: number[] | null }>`
      with corrected as (
        select n.parcel_id, 'amendment' as how from clearance_notification n
        where n.carrier_code = ${carrier} and n.kind = 'request_for_amendment'
          and n.created_at >= ${from} and n.created_at < ${until}
        union all
        select i.parcel_id, 'inspection' from clearance_inspection i
        join clearance_parcel p on p.parcel_id = i.parcel_id
        where p.carrier_code = ${carrier} and i.recorded_at >= ${from} and i.recorded_at < ${until}
          and (i.corrected_value is not null or i.corrected_hs_code is not null or i.corrected_description is not null))
      select count(distinct parcel_id)::int as corrected,
        count(*) filter (where how = 'amendment')::int as amendments,
        count(*) filter (where how = 'inspection')::int as at_inspection,
        (array_agg(distinct parcel_id))[1:5] as samples
      from corrected`.execute(db),
    sql<{ reported: number; missing: number; pending: number; missing_samples: number[] | null }>`
      with released as (
        select t.parcel_id, max(t.at) as released_at from clearance_transition t
        join clearance_parcel p on p.parcel_id = t.parcel_id
        where p.carrier_code = ${carrier} and t.to_state = 'released'
          and t.at >= ${from} and t.at < ${until}
        group by t.parcel_id),
      judged as (
        select r.parcel_id, r.released_at, exists (
            select 1 from clearance_delivery_report d where d.parcel_id = r.parcel_id) as reported,
          r.released_at + make_interval(days => ${query.deliveryReportDays}) < ${asOf} as due
        from released r)
      select count(*) filter (where reported)::int as reported,
        count(*) filter (where not reported and due)::int as missing,
        count(*) filter (where not reported and not due)::int as pending,
        (array_agg(parcel_id order by released_at) filter (where not reported and due))[1:5] as missing_samples
      from judged`.execute(db),
    // Seizures are few per carrier and quarter: their parcels are read, and counted below.
    sql<{ parcel_id: number; category: string }>`
      select distinct s.parcel_id, s.goods_category as category
      from clearance_seizure s join clearance_parcel p on p.parcel_id = s.parcel_id
      where p.carrier_code = ${carrier} and s.recorded_at >= ${from} and s.recorded_at < ${until}
      order by s.parcel_id`.execute(db),
  ]);
  const ids = (list: number[] | null | undefined) => (list ?? []).map(Number);
  const rfi = requests.rows[0]!;
  const corrected = corrections.rows[0]!;
  const delivery = reports.rows[0]!;
  const seizedParcels = [...new Set(seizures.rows.map((row) => Number(row.parcel_id)))];
  const byCategory: Record<string, number> = {};
  for (const row of seizures.rows) byCategory[row.category] = (byCategory[row.category] ?? 0) + 1;
  return {
    parcels: parcels.rows[0]!.parcels,
    requestsForInformation: {
      due: rfi.on_time + rfi.late + rfi.unanswered,
      answeredOnTime: rfi.on_time,
      answeredLate: rfi.late,
      unanswered: rfi.unanswered,
      pending: rfi.pending,
      lateSamples: ids(rfi.late_samples),
    },
    corrections: {
      correctedParcels: corrected.corrected,
      amendmentRequests: corrected.amendments,
      correctedAtInspection: corrected.at_inspection,
      samples: ids(corrected.samples).sort((a, b) => a - b),
    },
    finalAddressReports: {
      due: delivery.reported + delivery.missing,
      reported: delivery.reported,
      pending: delivery.pending,
      missingSamples: ids(delivery.missing_samples),
    },
    seizures: {
      // A parcel seized in two categories counts once in the total and once in each category.
      seizedParcels: seizedParcels.length,
      byCategory,
      samples: seizedParcels.slice(0, 5),
    },
  };
}
