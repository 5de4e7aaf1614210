import type { AnalyticalModel } from '../analytical-model.js';
import { randomControlSampleModel } from './m2-random-control-sample.js';
import { splitConsignmentModel } from './s1-split-consignment.js';

/** Every model of the catalogue, in the order the portal lists them within their group. */
export const catalogueModels: readonly AnalyticalModel[] = [splitConsignmentModel, randomControlSampleModel];
