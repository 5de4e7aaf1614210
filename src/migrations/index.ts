import type { Migration } from 'kysely';
import * as platform from './0001-platform.js';
import * as intake from './0002-intake.js';
import * as identity from './0003-identity.js';

/** Every schema change, in the order it is applied. Append only: never edit a migration that has shipped. */
export const migrations: Record<string, Migration> = {
  '0001-platform': platform,
  '0002-intake': intake,
  '0003-identity': identity,
};
