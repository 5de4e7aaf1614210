// @ts-check
// typescript-eslint's recommended rules (flat config) over the server, tests, benchmarks and the console;
// `npm run lint` runs it and .ci/run fails on what it finds.
import eslint from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'web/dist/',
      'data/',
      'coverage/',
      '.tmp/',
      'models/',
      'web/src/api/schema.d.ts',
    ],
  },
  eslint.configs.recommended,
  tseslint.configs.recommended,
  {
    rules: {
      // TypeScript reports undefined names itself, with the types in view (no-undef cannot see them).
      'no-undef': 'off',
      // `_name` marks a value left out on purpose (destructuring a field away, an unused parameter).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      // `Kysely<{}>` is Kysely's own spelling of a handle with no typed tables (a module adds its own
      // with `withTables<T>()`); object types `{}` elsewhere are caught by the compiler's strictness.
      '@typescript-eslint/no-empty-object-type': ['error', { allowObjectTypes: 'always' }],
      // Input validation and escaping look for control characters on purpose (text rules, JSON escaping,
      // field errors that show invisible characters): a regex naming them is the point, not a slip.
      'no-control-regex': 'off',
    },
  },
  {
    // Kysely's documented migration signature is `Kysely<any>`: a migration runs against whatever schema
    // the previous ones left, which no static type describes. Tests and benchmarks poke at JSON answers.
    files: ['src/migrations/**', 'test/**', 'bench/**', '**/*.test.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // CommonJS preload scripts (`node --require`) cannot use import.
    files: ['**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['web/src/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
    },
  },
);
