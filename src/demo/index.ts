/**
 * Demo and first-start data: generated parcels, orders and payments with injected risk patterns and
 * their ground truth, written as the files carriers and marketplaces send, and imported through
 * intake's public entry points like any other file. Not a module: it owns no tables and no routes.
 */
export { loadDemoData, DEFAULT_DEMO_SIZE } from './demo-loader.js';
export type { DemoLoadOptions, DemoLoadResult, DemoLoadTarget } from './demo-loader.js';
export { writeDemoData, EXPRESS_COLUMNS } from './demo-writer.js';
export type { DemoCounts, DemoFileKind, DemoFileOptions, DemoFiles } from './demo-writer.js';
export { generateDemoData, DEFAULT_START_DATE } from './demo-generator.js';
export type { DemoOptions } from './demo-generator.js';
export { loadFirstStartDemo } from './first-start.js';
export type { FirstStartOptions, FirstStartResult, FirstStartTarget } from './first-start.js';
export { STARTER_RULES, STARTER_WATCHLISTS } from './starter-rules.js';
export { generateDemoHistory, DEFAULT_INSPECTION_REGIME } from './demo-history.js';
export type { DemoHistory, InspectionRegime } from './demo-history.js';
export { ensureDemoPartners, DEMO_PARTNER_ACCOUNTS } from './demo-partners.js';
export type { DemoPartnersTarget } from './demo-partners.js';
