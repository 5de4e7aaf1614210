import { readFileSync } from 'node:fs';
import { parseClearanceRules, type ClearanceRules } from '../domain/clearance-rules.js';

/** The shipped defaults: config/clearance-defaults/clearance-rules.json at the repository root. */
export const DEFAULT_RULES_FILE = new URL(
  '../../../../config/clearance-defaults/clearance-rules.json',
  import.meta.url,
);

/** Reads and validates a rules file; throws naming every bad field, so a bad file stops the start-up. */
export function loadClearanceRules(file: string | URL = DEFAULT_RULES_FILE): ClearanceRules {
  return parseClearanceRules(JSON.parse(readFileSync(file, 'utf8')));
}
