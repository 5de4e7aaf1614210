/**
 * Targeting's view of intake's parcels: intake's bulk parcel facts (offered through its index.ts), widened
 * with the fields targeting fills in itself later (post-delivery address, X-ray finding, product-safety
 * hit, value norms), which start empty.
 */
import type {
  LineFacts as IntakeLineFacts,
  ParcelFacts as IntakeParcelFacts,
  ParcelFactsReader,
} from '../../intake/index.js';
import { normKey, type LineFacts, type ParcelFacts, type UnitValueNorms } from '../domain/parcel-facts.js';

/** What targeting reads from intake, in its own shape. */
export interface ParcelFactsSource extends Omit<
  ParcelFactsReader,
  'loadParcelFacts' | 'loadDeclaredParcels' | 'declarationFacts' | 'unitValueNorms' | 'latestLines'
> {
  loadParcelFacts(parcelIds: readonly number[], options?: { outcomes?: boolean }): Promise<ParcelFacts[]>;
  declarationFacts(range: Parameters<ParcelFactsReader['declarationFacts']>[0]): Promise<ParcelFacts[]>;
  unitValueNorms(range: { fromDate: string; toDate: string }): Promise<UnitValueNorms>;
  latestLines(limit: number): Promise<LineFacts[]>;
}

export class IntakeReadModel implements ParcelFactsSource {
  constructor(private readonly intake: ParcelFactsReader) {}

  async loadParcelFacts(
    parcelIds: readonly number[],
    options?: { outcomes?: boolean },
  ): Promise<ParcelFacts[]> {
    return (await this.intake.loadParcelFacts(parcelIds, options)).map(targetingFactsOf);
  }

  parcelIdsOfOrders(orderIds: readonly number[]): Promise<number[]> {
    return this.intake.parcelIdsOfOrders(orderIds);
  }

  parcelIdsOfPayments(paymentIds: readonly number[]): Promise<number[]> {
    return this.intake.parcelIdsOfPayments(paymentIds);
  }

  parcelIdsReceived(range: Parameters<ParcelFactsReader['parcelIdsReceived']>[0]): Promise<number[]> {
    return this.intake.parcelIdsReceived(range);
  }

  async declarationFacts(
    range: Parameters<ParcelFactsReader['declarationFacts']>[0],
  ): Promise<ParcelFacts[]> {
    return (await this.intake.declarationFacts(range)).map(targetingFactsOf);
  }

  async unitValueNorms(range: { fromDate: string; toDate: string }): Promise<UnitValueNorms> {
    const norms = await this.intake.unitValueNorms(range);
    return new Map(norms.map((row) => [normKey(row.hs6, row.currency), row.norm]));
  }

  async latestLines(limit: number): Promise<LineFacts[]> {
    return (await this.intake.latestLines(limit)).map(targetingLineOf);
  }

  sameDaySeries(parcelIds: readonly number[]): Promise<number[]> {
    return this.intake.sameDaySeries(parcelIds);
  }
}

function targetingFactsOf(facts: IntakeParcelFacts): ParcelFacts {
  return {
    ...facts,
    lines: facts.lines.map(targetingLineOf),
    deliveryAddress: null,
    deliveryAddressParcels: null,
    xray: null,
    productSafety: null,
  };
}

function targetingLineOf(line: IntakeLineFacts): LineFacts {
  return { ...line, hs6Norm: null, unitValueRatio: null };
}
