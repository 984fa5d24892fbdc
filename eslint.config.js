// @ts-check
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** Module directions: app → features → api/components/lib. A feature never imports another feature. */
const featureBoundaries = ['interface-lookup', 'speed-profile', 'tasks', 'activity-log', 'audit'].map((feature) => ({
  files: [`src/features/${feature}/**/*.{ts,tsx}`],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          { group: ['**/app/**', '../../app/*'], message: 'Features must not import from src/app.' },
          {
            regex: `features/(?!${feature}/)`,
            message: 'A feature never imports another feature: compose them in src/app.',
          },
          { group: ['@mui/*/*/*'], message: 'Import MUI by path, at most two levels deep.' },
        ],
      },
    ],
  },
}));

export default tseslint.config(
  { ignores: ['dist', 'dist-*', 'node_modules', 'protocol/katapult.gen.ts', 'bench/reference/dist', 'bench/reference-plain/dist', 'bench/analyze', 'test-results', 'playwright-report'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-imports': ['error', { patterns: [{ group: ['@mui/*/*/*'], message: 'Import MUI by path, at most two levels deep.' }] }],
    },
  },
  {
    files: ['src/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: { ...reactHooks.configs.recommended.rules },
  },
  {
    files: ['src/api/**', 'src/components/**', 'src/lib/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/features/**', '**/app/**'], message: 'Shared code imports neither features nor app.' }] },
      ],
    },
  },
  ...featureBoundaries,
  {
    // The server, the mock and the shared protocol never reach into the client's tree.
    files: ['server/**', 'mock/**', 'protocol/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/src/**', '../src', '../../src'], message: 'server/, mock/ and protocol/ never import src/: share code through protocol/.' }] },
      ],
    },
  },
  {
    files: ['e2e/**', 'src/**/*.test.{ts,tsx}', 'server/**/*.test.ts'],
    rules: { 'no-restricted-syntax': ['error', { selector: "CallExpression[callee.property.name='only']", message: 'No .only.' }, { selector: "CallExpression[callee.property.name='skip']", message: 'No skipped tests.' }] },
  },
);
