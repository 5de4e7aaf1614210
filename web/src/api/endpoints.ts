/**
 * Every endpoint the console uses, as OpenAPI path templates. Pages check each one against the
 * server's OpenAPI document (hasEndpoint) and say "not available on this server" when it is missing.
 * Those marked "needed" did not exist when the console was written: docs/console.md gives their shapes.
 */
export const endpoints = {
  // identity
  login: '/api/v1/auth/login',
  logout: '/api/v1/auth/logout',
  me: '/api/v1/auth/me',
  myLanguage: '/api/v1/auth/me/language',

  // intake
  parcel: '/api/v1/parcels/{id}',
  parcelSearch: '/api/v1/parcels',

  // the big-data portal (analytical models, runs, model requests)
  analyticsModels: '/api/v1/analytics/models',
  analyticsModelRuns: '/api/v1/analytics/models/{id}/runs',
  analyticsRun: '/api/v1/analytics/runs/{runId}',
  analyticsRunWatchlist: '/api/v1/analytics/runs/{runId}/watchlist',
  analyticsRequests: '/api/v1/analytics/requests',
  analyticsRequest: '/api/v1/analytics/requests/{id}',
  analyticsRequestSteps: '/api/v1/analytics/requests/{id}/steps',
  sellerProfile: '/api/v1/analytics/sellers/{sellerId}',
  pcccProfile: '/api/v1/analytics/pccc/{pccc}',

  // questions in plain language
  questions: '/api/v1/questions',
  questionFavourites: '/api/v1/questions/favourites',

  // targeting
  decision: '/api/v1/parcels/{id}/decision',
  decisions: '/api/v1/parcels/{id}/decisions',
  override: '/api/v1/parcels/{id}/decision/override',
  queue: '/api/v1/targeting/queue',
  rules: '/api/v1/targeting/rules',
  rule: '/api/v1/targeting/rules/{id}',
  ruleStatus: '/api/v1/targeting/rules/{id}/status',
  ruleValidate: '/api/v1/targeting/rules/validate',
  ruleDryRun: '/api/v1/targeting/rules/test',
  watchlists: '/api/v1/targeting/watchlists',
  watchlistEntries: '/api/v1/targeting/watchlists/{name}/entries',

  // clearance
  clearance: '/api/v1/clearance/parcels/{id}',
  transitions: '/api/v1/clearance/parcels/{id}/transitions',
  inspections: '/api/v1/clearance/parcels/{id}/inspections',
  seizures: '/api/v1/clearance/parcels/{id}/seizures',

  // x-ray
  scans: '/api/v1/parcels/{id}/scans',
  scanAnnotated: '/api/v1/scans/{scanId}/annotated.png',

  // risk models
  risk: '/api/v1/parcels/{id}/risk',
  models: '/api/v1/models',
  drift: '/api/v1/models/active/drift',
  modelPromote: '/api/v1/models/{version}/promote',
  modelRollback: '/api/v1/models/rollback',
  modelTrain: '/api/v1/models/train',
  modelTraining: '/api/v1/models/training',
  job: '/api/v1/jobs/{id}',

  // statistics
  dashboard: '/api/v1/statistics/dashboard', // needed
} as const;
