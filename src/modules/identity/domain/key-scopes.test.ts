import { describe, expect, it } from 'vitest';
import { invalidScopes, requiredScope, scopesAllow } from './key-scopes.js';

describe('API key scopes', () => {
  it('derives the needed scope from the route', () => {
    expect(requiredScope('GET', '/api/v1/parcels/:id')).toEqual({ area: 'parcels', access: 'read' });
    expect(requiredScope('POST', '/api/v1/postal/items')).toEqual({ area: 'postal', access: 'write' });
    expect(requiredScope('GET', '/health')).toBeUndefined();
  });

  it('lets write imply read, and * mean everything', () => {
    expect(scopesAllow(['*'], { area: 'admin', access: 'write' })).toBe(true);
    expect(scopesAllow(['parcels:read'], { area: 'parcels', access: 'read' })).toBe(true);
    expect(scopesAllow(['parcels:read'], { area: 'parcels', access: 'write' })).toBe(false);
    expect(scopesAllow(['postal:write'], { area: 'postal', access: 'read' })).toBe(true);
    expect(scopesAllow(['postal:write'], { area: 'parcels', access: 'read' })).toBe(false);
    expect(scopesAllow(['*:read'], { area: 'clearance', access: 'read' })).toBe(true);
    expect(scopesAllow(['*:read'], { area: 'clearance', access: 'write' })).toBe(false);
  });

  it('names unknown scopes', () => {
    expect(invalidScopes(['*', 'postal:write', 'everything', 'parcels:delete'])).toEqual([
      'everything',
      'parcels:delete',
    ]);
  });
});
