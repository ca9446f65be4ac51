// ESLint rules that encode the architecture (docs/architecture.md):
// config is the only reader of process.env, features meet only through their index.ts,
// and server code logs through pino instead of the console.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', 'data/**', 'test-artifacts/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        console: 'readonly',
        process: 'readonly',
        URL: 'readonly',
        Buffer: 'readonly',
        performance: 'readonly',
        fetch: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['apps/server/src/**/*.ts'],
    ignores: ['apps/server/src/**/*.test.ts'],
    rules: {
      'no-console': 'error',
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[object.name='process'][property.name='env']",
          message: 'Read the environment only in src/config.ts.',
        },
        // State belongs to the app: two apps in one process share nothing. Caches, registries and
        // gates are created by the app (a feature's factory, or its invalidation channel).
        {
          selector:
            "Program > VariableDeclaration[kind='let'], Program > ExportNamedDeclaration > VariableDeclaration[kind='let']",
          message:
            'No mutable module-level state: keep it in the app (see apps/server/src/lib/invalidation.ts).',
        },
        {
          selector:
            'Program > VariableDeclaration > VariableDeclarator > NewExpression[arguments.length=0], Program > ExportNamedDeclaration > VariableDeclaration > VariableDeclarator > NewExpression[arguments.length=0]',
          message:
            'An empty collection or object at module level is shared state: create it in the app (see apps/server/src/lib/invalidation.ts).',
        },
      ],
    },
  },
  {
    files: ['apps/extension/src/**/*.ts'],
    ignores: ['apps/extension/src/**/*.test.ts'],
    rules: { 'no-console': 'error' },
  },
  {
    // The extension's background owns the network and the token (apps/extension/README.md).
    files: ['apps/extension/src/**/*.ts'],
    ignores: ['apps/extension/src/background/**', 'apps/extension/src/**/*.test.ts'],
    rules: {
      'no-restricted-globals': [
        'error',
        ...['fetch', 'XMLHttpRequest', 'WebSocket', 'EventSource'].map((name) => ({
          name,
          message: 'Only the background calls the network: send it a typed message (src/shared/messages.ts).',
        })),
      ],
    },
  },
  {
    // lib/ and db/ sit below the features and the adapters (docs/architecture.md).
    files: ['apps/server/src/lib/**/*.ts', 'apps/server/src/db/**/*.ts'],
    ignores: ['apps/server/src/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(\\.\\./)+(features|http|mcp|worker)/',
              message: 'lib/ and db/ import neither features nor adapters: dependencies point one way.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['apps/server/src/config.ts'],
    rules: { 'no-restricted-syntax': 'off' },
  },
  {
    files: ['apps/server/src/features/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^\\.\\./[a-z-]+/(?!index\\.ts$).+',
              message: 'Import another feature only through its index.ts.',
            },
            {
              // Dependencies point one way: lib/ <- features/ <- adapters <- main.ts (docs/architecture.md).
              regex: '^(\\.\\./)+(http|mcp|worker)/',
              message:
                'Features do not import adapters (http/, mcp/, worker/): move what both need to the feature or lib/.',
            },
          ],
        },
      ],
    },
  },
);
