import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

/** The provider packages' root import loads every resource class (~3 s, much memory). */
export const ROOT_PROVIDER_IMPORTS = [
  {
    name: '@cdktf/provider-aws',
    message:
      'Import the resource by deep path, e.g. @cdktf/provider-aws/lib/vpc (the root import costs ~3 s).',
  },
  {
    name: '@cdktf/provider-random',
    message: 'Import the resource by deep path, e.g. @cdktf/provider-random/lib/id.',
  },
];

export default tseslint.config(
  { ignores: ['node_modules/**', 'cdktf.out/**', 'reports/**', '.gen/**', '.stryker-tmp/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    files: ['**/*.ts', '**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', __dirname: 'readonly' } },
    rules: {
      'no-restricted-imports': ['error', { paths: ROOT_PROVIDER_IMPORTS }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
);
