import type { ColumnType } from 'kysely';

/** Kysely row types of the identity tables (schema in src/migrations/0003-identity.ts). */
export type IdentityTables = {
  identity_account: {
    id: string;
    kind: 'officer' | 'organisation' | 'consumer';
    display_name: string;
    roles: string[];
    organisation: string | null;
    email: string | null;
    pccc: string | null;
    password_hash: string | null;
    disabled_at: Date | null;
    created_at: ColumnType<Date, never, never>;
  };
  identity_api_key: {
    id: string;
    account_id: string;
    secret_sha256: string;
    label: string | null;
    created_at: ColumnType<Date, never, never>;
    expires_at: Date | null;
    revoked_at: Date | null;
    last_used_at: Date | null;
  };
};
