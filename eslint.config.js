// @ts-check
import eslint from '@eslint/js';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import pluginVue from 'eslint-plugin-vue';

/** Drivers, servers and the libraries and adapters that wrap them: no use case or rule imports these. */
const driversAndAdapters = [
  'fastify',
  'fastify-*',
  '@fastify/*',
  'mongoose',
  'mongodb',
  'kafkajs',
  '@grpc/*',
  'redis',
  '@redis/*',
  '@learning/grpc',
  '@learning/mongo',
  '@learning/redis',
  '@learning/testing',
  '**/adapters/**',
];

/** What a service's domain may never import: frameworks, drivers, I/O and the outer layers. */
const domainForbiddenImports = {
  patterns: [
    {
      group: [
        ...driversAndAdapters,
        'pino',
        'pino-*',
        '@learning/http',
        '@learning/events',
        '@learning/proto',
        'node:http',
        'node:net',
        'node:fs',
        '**/application/**',
      ],
      message:
        'src/domain/ holds rules only: no frameworks, drivers or I/O. Put this in src/application/ or src/adapters/.',
    },
  ],
};

/** What a service's use cases may never import: drivers, servers and the adapters that wrap them. */
const applicationForbiddenImports = {
  patterns: [
    {
      group: driversAndAdapters,
      message:
        'src/application/ depends on ports, not on drivers or adapters: declare a port here and implement it in src/adapters/.',
    },
  ],
};

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      'proto/src/gen/**',
      'infra/local/.build/**',
      'coverage/**',
      'web/test-results/**',
    ],
  },
  eslint.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: {
          allowDefaultProject: ['*.js', '*.mjs', '*.ts', 'scripts/*.ts', 'proto/scripts/*.mjs'],
          // Root tool files (vitest.config.ts, scripts/) are linted with the same strict options.
          defaultProject: 'tsconfig.base.json',
        },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      // Handlers implement async interfaces (Kafka, gRPC, fastify) whether or not they await.
      '@typescript-eslint/require-await': 'off',
      // mongoose types schema field options as a class; every schema literal would trip it.
      '@typescript-eslint/no-unsafe-class-instance-assignment': 'off',
    },
  },
  // The portal's single-file components: Vue's recommended rules, the script blocks typed like the rest.
  ...pluginVue.configs['flat/recommended'],
  {
    files: ['web/**/*.vue'],
    languageOptions: {
      parserOptions: {
        parser: tseslint.parser,
        extraFileExtensions: ['.vue'],
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
      globals: globals.browser,
    },
  },
  {
    files: ['services/*/src/domain/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', domainForbiddenImports] },
  },
  {
    files: ['services/*/src/application/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', applicationForbiddenImports] },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      globals: globals.node,
    },
  },
  prettier,
);
