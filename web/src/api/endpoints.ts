/**
 * Every endpoint the console uses, as OpenAPI path templates. Those marked "needed" were not on the
 * server when the console was written: the pages check for them (hasEndpoint) and say "not available
 * on this server" until they appear. docs/console.md lists their expected shapes.
 */
export const endpoints = {
  // identity
  login: '/api/v1/auth/login',
  logout: '/api/v1/auth/logout',
  me: '/api/v1/auth/me',

  // intake (exists)
  parcel: '/api/v1/parcels/{id}',

  // targeting
  decision: '/api/v1/parcels/{id}/decision',
  queue: '/api/v1/targeting/queue', // needed
  rules: '/api/v1/targeting/rules',
  rule: '/api/v1/targeting/rules/{id}',
  ruleDryRun: '/api/v1/targeting/rules/dry-run',
  ruleActivate: '/api/v1/targeting/rules/{id}/activate',
  ruleExpire: '/api/v1/targeting/rules/{id}/expire',
  watchlists: '/api/v1/targeting/watchlists',
  watchlistEntries: '/api/v1/targeting/watchlists/{id}/entries',

  // clearance
  assessmentPreview: '/api/v1/assessments/preview',
  parcelActions: '/api/v1/parcels/{id}/actions', // needed: release, hold, refer_xray, inspect, seize with a reason
  inspectionResults: '/api/v1/parcels/{id}/inspection-results',
  seizures: '/api/v1/parcels/{id}/seizures',
  history: '/api/v1/parcels/{id}/history', // needed: decisions and actions in time order
  related: '/api/v1/parcels/{id}/related', // needed: same buyer / seller / address / master waybill

  // x-ray
  xrayImage: '/api/v1/parcels/{id}/xray', // needed: {imageUrl, width, height, detections[]}

  // risk models
  models: '/api/v1/risk/models',
  modelPromote: '/api/v1/risk/models/{version}/promote',
  modelRollback: '/api/v1/risk/models/rollback',
  modelRetrain: '/api/v1/risk/models/retrain',
  job: '/api/v1/jobs/{id}',

  // statistics
  dashboard: '/api/v1/statistics/dashboard', // needed
} as const;
