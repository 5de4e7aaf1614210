import type { AccountRow, ApiKeyRow } from './identity.repository.js';

/** An account as administrators see it; secrets never leave the service. */
export interface AccountView {
  id: string;
  kind: AccountRow['kind'];
  name: string;
  roles: string[];
  organisation: string | null;
  email: string | null;
  emailVerified: boolean;
  hasPassword: boolean;
  disabled: boolean;
  lockedUntil: string | null;
  createdAt: string;
}

export interface ApiKeyView {
  id: string;
  accountId: string;
  label: string | null;
  scopes: string[];
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
  lastUsedAt: string | null;
  rotatedFrom: string | null;
}

const iso = (value: Date | null) => (value ? new Date(value).toISOString() : null);

export function toAccountView(row: AccountRow, now: Date): AccountView {
  return {
    id: row.id,
    kind: row.kind,
    name: row.display_name,
    roles: row.roles,
    organisation: row.organisation,
    email: row.email,
    emailVerified: row.email_verified_at !== null,
    hasPassword: row.password_hash !== null,
    disabled: row.disabled_at !== null,
    lockedUntil: row.locked_until && row.locked_until > now ? iso(row.locked_until) : null,
    createdAt: iso(row.created_at)!,
  };
}

export function toApiKeyView(row: ApiKeyRow): ApiKeyView {
  return {
    id: row.id,
    accountId: row.account_id,
    label: row.label,
    scopes: row.scopes,
    createdAt: iso(row.created_at)!,
    expiresAt: iso(row.expires_at),
    revokedAt: iso(row.revoked_at),
    lastUsedAt: iso(row.last_used_at),
    rotatedFrom: row.rotated_from,
  };
}
