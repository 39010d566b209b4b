// ESLint (flat config) for `npm run lint`. Kept in .ci/ so the top level stays as the design card fixes it;
// editors: point the ESLint extension at this file (VS Code: "eslint.options": {"overrideConfigFile": ".ci/eslint.config.mjs"}).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** The engine's public face: what any other layer may import from src/engine. */
const ENGINE_INTERNALS = {
  regex: String.raw`(^|/)engine/(?!index\.ts$|types\.ts$|text/script\.ts$)`,
  message: 'Import the engine through src/engine/index.ts (or types.ts; text/script.ts in the browser), not its internals.',
};
const layer = (name, message) => ({ regex: String.raw`(^|/)${name}/`, message });

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'devTools/**', 'artifacts/**', '**/*.mjs', '**/*.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    languageOptions: {
      parserOptions: {
        project: ['./tsconfig.json', './src/channels/widget/client/tsconfig.json', './test/tsconfig.json'],
        tsconfigRootDir: new URL('..', import.meta.url).pathname,
      },
    },
    rules: {
      // node:test's test/describe/it return promises the runner awaits.
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            { from: 'package', package: 'node:test', name: ['test', 'describe', 'it', 'suite', 'before', 'after', 'beforeEach', 'afterEach'] },
          ],
        },
      ],
      '@typescript-eslint/no-unnecessary-type-assertion': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-shadow': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  // Boundaries (README, "How it fits together"): the engine knows no channel, renderer, store or server library;
  // nothing outside the engine reaches into its internals; the store and the renderers know no channel.
  {
    files: ['src/engine/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            layer('channels', 'The engine knows no channel.'),
            layer('render', 'The engine returns data; render/ presents it.'),
            layer('store', 'The engine stores nothing.'),
            layer('support', 'The engine knows no support workflow.'),
            layer('observability', 'The engine logs nothing.'),
          ],
          paths: ['express', 'botbuilder', 'i18next', 'pg', 'better-sqlite3'].map((name) => ({
            name,
            message: 'The engine is pure TypeScript over its knowledge base.',
          })),
        },
      ],
    },
  },
  {
    files: ['src/channels/**/*.ts', 'src/render/**/*.ts', 'src/store/**/*.ts', 'src/support/**/*.ts', 'src/observability/**/*.ts', 'src/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [ENGINE_INTERNALS] }] },
  },
  {
    files: ['src/render/**/*.ts', 'src/store/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [ENGINE_INTERNALS, layer('channels', 'Renderers and stores serve every channel; they import none.')] }],
    },
  },
);
