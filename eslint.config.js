// @ts-check
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * Only src/api knows URLs and calls endpoints (one home per resource: fetcher, keys and queryOptions
 * in src/api/<resource>.ts); features and the app read through those, never through the client itself.
 */
const noEndpointImports = [
  { group: ['openapi-fetch'], message: 'Only src/api calls endpoints: add the call to src/api/<resource>.ts.' },
  {
    group: ['**/api/client.ts'],
    importNames: ['request', 'createApiClient'],
    message: 'Only src/api calls endpoints: add the call to src/api/<resource>.ts.',
  },
];
const noEndpointSyntax = [
  'error',
  {
    selector: "CallExpression[callee.property.name=/^(GET|PUT|POST|PATCH|DELETE)$/]",
    message: 'Only src/api calls endpoints: add the call to src/api/<resource>.ts.',
  },
  { selector: 'Literal[value=/^\\/[a-z_]+\\//]', message: 'Only src/api builds URLs: add it to src/api/<resource>.ts.' },
  { selector: 'TemplateElement[value.raw=/\\/(panel|api)\\//]', message: 'Only src/api builds URLs: add it to src/api/<resource>.ts.' },
];

/** Module directions: app → features → api/components/lib. A feature never imports another feature. */
/** Tests and their fixtures build a client and stand in for endpoints: the endpoint rules are for the code they test. */
const TEST_FILES = ['**/*.test.{ts,tsx}', '**/__tests__/**', '**/testing/**'];

const featurePatterns = (feature) => [
  { group: ['**/app/**', '../../app/*'], message: 'Features must not import from src/app.' },
  {
    regex: `features/(?!${feature}/)`,
    message: 'A feature never imports another feature: compose them in src/app.',
  },
  { group: ['@mui/*/*/*'], message: 'Import MUI by path, at most two levels deep.' },
];
const featureBoundaries = ['interface-lookup', 'speed-profile', 'tasks', 'activity-log', 'audit'].flatMap((feature) => [
  {
    files: [`src/features/${feature}/**/*.{ts,tsx}`],
    ignores: TEST_FILES,
    rules: {
      'no-restricted-imports': ['error', { patterns: [...featurePatterns(feature), ...noEndpointImports] }],
      'no-restricted-syntax': noEndpointSyntax,
    },
  },
  {
    files: TEST_FILES.map((t) => `src/features/${feature}/${t}`),
    rules: { 'no-restricted-imports': ['error', { patterns: featurePatterns(feature) }] },
  },
]);

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
    files: ['src/app/**/*.{ts,tsx}', 'src/components/**/*.{ts,tsx}', 'src/lib/**/*.{ts,tsx}'],
    ignores: ['src/app/panel.tsx', ...TEST_FILES],
    rules: { 'no-restricted-syntax': noEndpointSyntax },
  },
  {
    files: ['src/app/**/*.{ts,tsx}'],
    ignores: ['src/app/panel.tsx', ...TEST_FILES],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['@mui/*/*/*'], message: 'Import MUI by path, at most two levels deep.' }, ...noEndpointImports] },
      ],
    },
  },
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
