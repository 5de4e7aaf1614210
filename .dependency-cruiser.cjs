/**
 * The direction of dependencies (ARCHITECTURE.md): cli/main -> modules -> platform, modules only through
 * each other's index.ts, and no cycles. `npm test` runs this check (test/architecture.test.ts).
 */
module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      comment: 'Cycles through type-only imports are harmless and allowed',
      severity: 'error',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'module-order',
      comment:
        'portal -> clearance -> targeting -> risk -> intake; xray and partners sit beside; nothing depends on portal or analytics',
      severity: 'error',
      from: { path: '^src/modules/intake/' },
      to: { path: '^src/modules/(?!intake/)' },
    },
    {
      name: 'risk-depends-only-on-intake',
      severity: 'error',
      from: { path: '^src/modules/risk/' },
      to: { path: '^src/modules/(?!(risk|intake)/)' },
    },
    {
      name: 'nothing-depends-on-consumers',
      severity: 'error',
      from: { path: '^src/modules/(?!(portal|analytics)/)' },
      to: { path: '^src/modules/(portal|analytics)/' },
    },
    {
      name: 'platform-knows-no-module',
      severity: 'error',
      from: { path: '^src/platform/', pathNot: '\\.test\\.ts$' },
      to: { path: '^src/(modules|cli|main\\.ts|migrations)' },
    },
    {
      name: 'modules-do-not-import-cli-or-main',
      severity: 'error',
      from: { path: '^src/modules/' },
      to: { path: '^src/(cli|main\\.ts)' },
    },
    {
      name: 'modules-meet-through-index',
      comment: 'A module imports another only through its index.ts',
      severity: 'error',
      from: { path: '^src/modules/([^/]+)/' },
      to: { path: '^src/modules/([^/]+)/(?!index\\.ts$)', pathNot: '^src/modules/$1/' },
    },
    {
      name: 'entry-points-only',
      comment:
        'The command line and the demo data reach modules only through their index.ts, as any client would',
      severity: 'error',
      from: { path: '^src/(cli|demo)/' },
      to: { path: '^src/modules/[^/]+/(?!index\\.ts$)' },
    },
    {
      name: 'modules-do-not-import-demo-data',
      severity: 'error',
      from: { path: '^src/(modules|platform)/' },
      to: { path: '^src/demo/' },
    },
    {
      name: 'domain-is-pure',
      comment:
        'domain/ holds pure logic: no database, HTTP or file system (a type-only import runs nothing, so it may name one)',
      severity: 'error',
      from: { path: '^src/modules/[^/]+/domain/', pathNot: '\\.test\\.ts$' },
      to: {
        path: '^(node_modules/(pg|@electric-sql|kysely|fastify)|src/platform/(db|http))',
        dependencyTypesNot: ['type-only'],
      },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
