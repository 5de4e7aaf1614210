import type { ColumnType, Generated } from 'kysely';
import type { Locale } from '../../platform/i18n/locale.js';

/** Kysely row types of the identity tables (schema in src/migrations/0003-identity.ts and 0004-identity-sessions-audit.ts). */
export type IdentityTables = {
  identity_account: {
    id: string;
    kind: 'officer' | 'organisation' | 'consumer';
    display_name: string;
    roles: string[];
    organisation: string | null;
    email: string | null;
    password_hash: string | null;
    disabled_at: Date | null;
    created_at: ColumnType<Date, never, never>;
    email_verified_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
    failed_logins: ColumnType<number, number | undefined, number>;
    locked_until: ColumnType<Date | null, Date | null | undefined, Date | null>;
    password_changed_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
    created_by: ColumnType<string | null, string | null | undefined, string | null>;
    /** The holder's chosen language (migration 0180); null until chosen. */
    language: ColumnType<Locale | null, Locale | null | undefined, Locale | null>;
  };
  identity_sign_in_throttle: {
    key_sha256: string;
    failures: number;
    last_failure_at: Date;
    retry_after: Date;
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
    scopes: ColumnType<string[], string[] | undefined, string[]>;
    rotated_from: ColumnType<string | null, string | null | undefined, string | null>;
    created_by: ColumnType<string | null, string | null | undefined, string | null>;
  };
  identity_session: {
    id: string;
    token_sha256: string;
    account_id: string;
    created_at: ColumnType<Date, never, never>;
    expires_at: Date;
    last_seen_at: ColumnType<Date, Date | undefined, Date>;
    revoked_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  };
  identity_one_time_code: {
    id: Generated<number>;
    account_id: string;
    purpose: 'sign_in' | 'verify_email';
    code_hash: string;
    created_at: ColumnType<Date, Date | undefined, never>;
    expires_at: Date;
    attempts: ColumnType<number, number | undefined, number>;
    consumed_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  };
  identity_audit_entry: {
    seq: number;
    at: Date;
    actor: string;
    via: string | null;
    action: string;
    subject: string | null;
    details: ColumnType<Record<string, unknown>, string, never>;
    previous_hash: string;
    hash: string;
  };
};
