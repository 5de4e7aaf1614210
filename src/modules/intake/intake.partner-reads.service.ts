import type { Actor } from '../../platform/auth/actor.js';
import { isOfficer } from '../../platform/auth/actor.js';
import { CommonError } from '../../platform/errors/module-error.js';
import type {
  CarrierDataQuality,
  PartnerReadsRepository,
  ProductLine,
} from './intake.partner-reads.repository.js';

/**
 * Intake's records as the partners module reads them (product-safety matching, carrier compliance,
 * foreign seller registration). Officers and the system only: partners decides what its own callers
 * (carriers, agencies) may see of the results.
 */
export class PartnerReadsService {
  constructor(private readonly repository: PartnerReadsRepository) {}

  productLinesOfParcels(actor: Actor, parcelIds: readonly number[]): Promise<ProductLine[]> {
    assertOfficer(actor);
    return this.repository.productLinesOfParcels(parcelIds);
  }

  productLinesOfOrders(actor: Actor, orderIds: readonly number[]): Promise<ProductLine[]> {
    assertOfficer(actor);
    return this.repository.productLinesOfOrders(orderIds);
  }

  productLinesReceivedSince(actor: Actor, since: Date, page: { afterParcelId: number; parcels: number }) {
    assertOfficer(actor);
    return this.repository.productLinesReceivedSince(since, page);
  }

  carrierDataQuality(
    actor: Actor,
    carrierCode: string,
    range: { from: string; to: string },
  ): Promise<CarrierDataQuality> {
    assertOfficer(actor);
    return this.repository.carrierDataQuality(carrierCode, range);
  }

  /** Records a registration decision (or an unknown number) on the sellers that name the registration. */
  setSellerRegistrationStatus(actor: Actor, registrationNumber: string, status: string): Promise<number> {
    assertOfficer(actor);
    return this.repository.setSellerRegistrationStatus(registrationNumber, status);
  }

  sellerActivity(actor: Actor, registrationNumber: string, limit = 200) {
    assertOfficer(actor);
    return this.repository.sellerActivity(registrationNumber, limit);
  }
}

function assertOfficer(actor: Actor): void {
  if (!isOfficer(actor)) throw new CommonError('forbidden', 'Intake records are for customs officers');
}
