import type { AnalyticalModel } from '../analytical-model.js';
import { pcccMisuse } from './i1-pccc-misuse.js';
import { unitValueOutlier } from './v1-unit-value-outlier.js';
import { declaredVersusPaid } from './v3-declared-vs-paid.js';

/** Every model of the catalogue, in the catalogue's order within each group. */
export const catalogueModels: readonly AnalyticalModel[] = [unitValueOutlier, declaredVersusPaid, pcccMisuse];
