// ESLint flat config: typescript-eslint's recommended rules on every TypeScript and JavaScript
// source, plus one import per module (type-only imports may stay separate). Formatting is
// Prettier's job (.prettierrc.json), so no stylistic rules here.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/node_modules/', '**/dist/', 'docs/api/', '**/.turbo/', 'coverage/', '.gl/', '.whl/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: 'module',
      globals: {
        console: 'readonly',
        process: 'readonly',
        globalThis: 'readonly',
        performance: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setImmediate: 'readonly',
        window: 'readonly',
        document: 'readonly',
      },
    },
    rules: {
      'no-duplicate-imports': ['error', { allowSeparateTypeImports: true }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
    },
  },
  {
    // TODO: both import '../ops/elementwise.js' twice; merge the imports when the kernels are split
    // into one file per kernel, then delete this block.
    files: ['packages/core/src/kernels/basic.ts', 'packages/core/src/kernels/spectral.ts'],
    rules: { 'no-duplicate-imports': 'off' },
  },
);
