/**
 * API key scopes narrow what a key may do below what its role allows (they never widen it). A scope is
 * `<area>:<access>`: the area is the first path segment after `/api/v1/` (`postal`, `express`, `parcels`,
 * `admin`, ...) or `*`, and the access is `read` (GET, HEAD) or `write` (everything else, which includes
 * reading). `*` alone is every area with write access, the default for a new key.
 */
export const SCOPE_PATTERN = /^(\*|[a-z][a-z0-9-]*:(read|write)|\*:(read|write))$/;

export function invalidScopes(scopes: readonly string[]): string[] {
  return scopes.filter((scope) => !SCOPE_PATTERN.test(scope));
}

/** The scope a request needs: `<area>:read` or `<area>:write`, or undefined outside `/api/v1/`. */
export function requiredScope(
  method: string,
  routePath: string,
): { area: string; access: 'read' | 'write' } | undefined {
  const match = /^\/api\/v1\/([^/]+)/.exec(routePath);
  if (!match) return undefined;
  const access = method === 'GET' || method === 'HEAD' || method === 'OPTIONS' ? 'read' : 'write';
  return { area: match[1]!, access };
}

export function scopesAllow(
  scopes: readonly string[],
  needed: { area: string; access: 'read' | 'write' },
): boolean {
  return scopes.some((scope) => {
    if (scope === '*') return true;
    const [area, access] = scope.split(':') as [string, string];
    if (area !== '*' && area !== needed.area) return false;
    return access === 'write' || needed.access === 'read';
  });
}
