import { isOfficer, type Actor } from '../../platform/auth/actor.js';
import { CommonError } from '../../platform/errors/module-error.js';
import type { CarrierRecords, CarrierRecordsQuery } from './clearance.carrier-records.repository.js';
import type { ClearanceRepository } from './clearance.repository.js';

export type { CarrierRecords, CarrierRecordsQuery } from './clearance.carrier-records.repository.js';

/**
 * Clearance's records of a carrier as partners' compliance evaluation reads them: answers to requests
 * for information, corrected declarations, final-address reports and seizures. Officers and the system
 * only: partners decides what a carrier may see of the evaluation built on them.
 */
export class CarrierRecordsService {
  constructor(private readonly repository: ClearanceRepository) {}

  async carrierRecords(actor: Actor, query: CarrierRecordsQuery): Promise<CarrierRecords> {
    if (!isOfficer(actor)) throw new CommonError('forbidden', 'Clearance records are for customs officers');
    return this.repository.carrierRecords(query);
  }
}
