import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

const nodeBuiltins = [
  'fs',
  'path',
  'os',
  'child_process',
  'crypto',
  'http',
  'https',
  'net',
  'tls',
  'dgram',
  'zlib',
  'stream',
  'url',
  'util',
  'v8',
  'worker_threads',
  'readline',
  'events',
  'buffer',
  'module',
  'process',
];

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', 'node_modules/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // The core runs headless in Node: no Electron, no DOM, no UI libraries.
    files: ['core/**/*.ts'],
    languageOptions: { globals: { ...globals.node } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['electron', 'react', 'react-dom', 'zustand', 'jssip'],
          patterns: [
            { group: ['@mui/*', 'react/*', 'react-dom/*', 'electron/*'], message: 'core/ must stay free of Electron, DOM and UI code.' },
            { group: ['**/renderer/**', '**/electron/**'], message: 'core/ must not depend on the renderer or the Electron shell.' },
          ],
        },
      ],
      'no-restricted-globals': ['error', 'window', 'document', 'navigator', 'localStorage', 'sessionStorage'],
    },
  },
  {
    // The core's API contract is imported by the renderer, so it must not use Node either.
    files: ['core/api/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['electron', 'react', ...nodeBuiltins],
          patterns: [
            {
              group: ['node:*', '**/store/**', '**/services/**', '**/server/**', '**/adapters/**'],
              message: 'core/api is shared with the renderer: types, schemas and constants only.',
            },
          ],
        },
      ],
    },
  },
  {
    // Domain rules are pure: no I/O, no Node, no store; the console reuses some of them (SMS encoding, number formats).
    files: ['core/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['electron', 'react', ...nodeBuiltins],
          patterns: [
            {
              group: ['node:*', '**/store/**', '**/services/**', '**/server/**', '**/adapters/**'],
              message: 'core/domain holds pure rules: no I/O.',
            },
          ],
        },
      ],
    },
  },
  {
    // The renderer runs sandboxed in Chromium: no Node modules, no Electron; it talks to the core over the API.
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          paths: ['electron', ...nodeBuiltins],
          patterns: [
            { group: ['node:*'], message: 'renderer/ runs in the browser sandbox: no Node imports.' },
            {
              group: ['**/core/store/**', '**/core/services/**', '**/core/server/**', '**/core/adapters/**'],
              message:
                'renderer/ reaches the core through core/api and the WebSocket client; only the pure rules in core/domain may be shared.',
            },
            {
              group: ['**/electron/*', '!**/electron/platform-api'],
              message: 'renderer/ reaches Electron only through the preload (electron/platform-api types).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.node } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
