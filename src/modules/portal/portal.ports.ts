import type { ParcelClearanceView } from '../clearance/index.js';
import type { ParcelView } from '../intake/index.js';

/** How the portal reads parcels: intake, clearance and targeting as the system, given by main.ts. */
export interface PortalParcelSource {
  /** Parcels declared under a code, newest first, one page at a time. */
  parcelIdsOfPccc(
    pccc: string,
    page: { beforeId?: number; limit: number },
  ): Promise<{ ids: number[]; nextBeforeId?: number }>;
  /** The declaration; undefined when there is no such parcel. */
  parcel(parcelId: number): Promise<ParcelView | undefined>;
  /** The PCCC of each of these parcels that has one (a batch of newly stored parcels). */
  pcccsOfParcels(parcelIds: readonly number[]): Promise<Map<number, string>>;
  /** Several declarations in one read, in id order (a batch of newly stored parcels); unknown ids left out. */
  parcels(parcelIds: readonly number[]): Promise<ParcelView[]>;
  /** Clearance's record; undefined while clearance has not taken the parcel in. */
  clearance(parcelId: number): Promise<ParcelClearanceView | undefined>;
  /** What the targeting lane means for the parcel (never the lane, the score or the criteria). */
  check(parcelId: number): Promise<'none' | 'documents' | 'inspection' | null>;
  /** Seizures by goods category over a range of days (clearance), for public statistics. */
  seizuresByCategory(range: { from: string; to: string }): Promise<{ category: string; parcels: number }[]>;
}

/** Keys an address line as clearance does, so that registered addresses and declared ones compare. */
export type AddressKeyer = (address: string) => string;
