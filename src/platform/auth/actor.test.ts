import { describe, expect, it } from 'vitest';
import {
  AccessDeniedError,
  assertAdministrator,
  assertOfficer,
  isAccessDenial,
  mayReadParcel,
  systemActor,
  type Actor,
} from './actor.js';
import { CommonError, ModuleError } from '../errors/module-error.js';

const analyst: Actor = { kind: 'officer', accountId: 'o1', name: 'A', roles: ['targeting_analyst'] };
const admin: Actor = { kind: 'officer', accountId: 'o2', name: 'B', roles: ['administrator'] };
const dhl: Actor = { kind: 'organisation', accountId: 'c1', role: 'carrier', organisation: 'DHL' };
const agency: Actor = { kind: 'organisation', accountId: 'g1', role: 'agency', organisation: 'MFDS' };
const buyer: Actor = { kind: 'consumer', accountId: 'u1', pccc: 'P123456789012', email: 'kim@mail.example' };

describe('access helpers', () => {
  it('assertOfficer lets the named roles, administrators and the system pass', () => {
    expect(() => assertOfficer(analyst, 'targeting_analyst')).not.toThrow();
    expect(() => assertOfficer(admin, 'inspector')).not.toThrow();
    expect(() => assertOfficer(systemActor, 'inspector')).not.toThrow();
    expect(() => assertOfficer(analyst)).not.toThrow();
  });

  it('assertOfficer refuses other roles and non-officers with a logged forbidden, and nobody with unauthenticated', () => {
    for (const actor of [dhl, buyer]) expect(() => assertOfficer(actor)).toThrow(AccessDeniedError);
    try {
      assertOfficer(analyst, 'inspector', 'xray_analyst');
    } catch (error) {
      expect(error).toBeInstanceOf(CommonError);
      expect(error).toMatchObject({
        code: 'forbidden',
        denial: { actor: 'officer:o1', action: 'officer:inspector|xray_analyst' },
      });
    }
    expect(() => assertOfficer(undefined)).toThrow(expect.objectContaining({ code: 'unauthenticated' }));
    expect(() => assertAdministrator(analyst)).toThrow(AccessDeniedError);
    expect(() => assertAdministrator(admin)).not.toThrow();
  });

  it('decides parcel access the way intake does, plus agencies for shared parcels', () => {
    const parcel = { carrierCode: 'dhl', pccc: 'P123456789012' };
    expect(mayReadParcel(analyst, parcel)).toBe(true);
    expect(mayReadParcel(dhl, parcel)).toBe(true);
    expect(mayReadParcel({ ...dhl, organisation: 'FEDEX' }, parcel)).toBe(false);
    expect(mayReadParcel(buyer, parcel)).toBe(true);
    expect(mayReadParcel({ ...buyer, pccc: 'P000000000000' } as Actor, parcel)).toBe(false);
    // A consumer who has not proved a code reads no parcel, not even one declared without a code.
    const unproved = { ...buyer, pccc: null } as Actor;
    expect(mayReadParcel(unproved, parcel)).toBe(false);
    expect(mayReadParcel(unproved, { ...parcel, pccc: null })).toBe(false);
    expect(mayReadParcel(agency, parcel)).toBe(false);
    expect(mayReadParcel(agency, { ...parcel, sharedWith: ['mfds'] })).toBe(true);
  });

  it('recognises denials to log', () => {
    expect(isAccessDenial(new CommonError('forbidden', 'x'))).toBe(true);
    expect(isAccessDenial(new ModuleError('intake', 'not_your_parcel', 'x'))).toBe(true);
    expect(isAccessDenial(new ModuleError('risk', 'forbidden', 'x'))).toBe(true);
    expect(isAccessDenial(new CommonError('not_found', 'x'))).toBe(false);
    expect(isAccessDenial(new Error('x'))).toBe(false);
  });
});
