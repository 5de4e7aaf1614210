/**
 * The direction of dependencies (ARCHITECTURE.md): cli/main -> modules -> platform, modules only through
 * each other's index.ts, and no cycles. `npm test` runs this check (test/architecture.test.ts).
 */
module.exports = {
  forbidden: [
    { name: 'no-cycles', severity: 'error', from: {}, to: { circular: true } },
    {
      name: 'platform-knows-no-module',
      severity: 'error',
      from: { path: '^src/platform/' },
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
      name: 'domain-is-pure',
      comment: 'domain/ holds pure logic: no database, HTTP or file system',
      severity: 'error',
      from: { path: '^src/modules/[^/]+/domain/', pathNot: '\\.test\\.ts$' },
      to: { path: '^(node_modules/(pg|@electric-sql|kysely|fastify)|src/platform/(db|http))' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
