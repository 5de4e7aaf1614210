/**
 * X-ray: scans uploaded per parcel, automatic threat recognition (named boxes, material classes), the
 * match between picture and declared goods, and annotated images for the console.
 */
import { join } from 'node:path';
import type { Database } from '../../platform/db/database.js';
import type { JobQueue } from '../../platform/jobs/job-queue.js';
import { EventOutbox } from '../../platform/events/event-outbox.js';
import type { IntakeService } from '../intake/index.js';
import { FolderScanStore, type ScanStore } from './adapters/scan-file-store.js';
import { XrayRepository } from './xray.repository.js';
import { XrayService } from './xray.service.js';

export { XrayService, ANALYSE_JOB, XRAY_FINDING } from './xray.service.js';
export type { XrayFinding } from './xray.service.js';
export type { StoredScan } from './xray.repository.js';
export { registerXrayRoutes } from './xray.routes.js';
// Training, evaluation and recognition on files, for the `clearway xray` commands.
export { listLabelledImages } from './adapters/labelled-image-folders.js';
export { evaluateThreatModel } from './adapters/threat-model-evaluation.js';
export {
  defaultEpochs,
  torchAvailable,
  torchInstallLine,
  trainThreatModel,
} from './adapters/threat-model-training.js';
export type { TrainingEngine } from './adapters/threat-model-training.js';
export {
  classifyCrop,
  decodeScan,
  detectThreats,
  loadThreatModel,
  renderAnnotated,
} from './adapters/threat-recognition.js';
export { farSplitSides } from './domain/dataset-split.js';
export { classifyMaterials } from './domain/material-classes.js';
export { xrayErrorStatus, xrayErrorMessages, XrayError } from './domain/xray-error.js';

export function createXrayModule(deps: {
  database: Database;
  intake: IntakeService;
  jobs: JobQueue;
  dataDir: string;
  store?: ScanStore;
  /** Tells targeting of findings; without it nobody is told (tools). */
  events?: EventOutbox;
}): { service: XrayService } {
  const store = deps.store ?? new FolderScanStore(join(deps.dataDir, 'scans'));
  const events = deps.events ?? new EventOutbox(deps.database);
  return {
    service: new XrayService(new XrayRepository(deps.database), store, deps.intake, deps.jobs, events),
  };
}
