// Lint: typescript-eslint recommended, plus the architecture's import directions
// (ARCHITECTURE.md "Layout") and "only src/cli/ prints".
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** folder -> folders under src/ it must not import (static imports). */
const forbidden = {
  core: [
    'cli',
    'commands',
    'contracts',
    'rules',
    'data',
    'generators',
    'store',
    'bus',
    'agents',
    'llm',
    'generated',
    'serve',
  ],
  generated: [
    'cli',
    'commands',
    'contracts',
    'rules',
    'data',
    'generators',
    'store',
    'bus',
    'agents',
    'llm',
    'serve',
  ],
  contracts: [
    'cli',
    'commands',
    'rules',
    'data',
    'generators',
    'store',
    'bus',
    'agents',
    'llm',
    'serve',
  ],
  data: [
    'cli',
    'commands',
    'contracts',
    'rules',
    'generators',
    'store',
    'bus',
    'agents',
    'llm',
    'serve',
  ],
  rules: ['cli', 'commands', 'contracts', 'generators', 'store', 'bus', 'agents', 'llm', 'serve'],
  generators: ['cli', 'commands', 'store', 'bus', 'agents', 'llm', 'serve'],
  store: ['cli', 'commands', 'rules', 'data', 'generators', 'bus', 'agents', 'llm', 'serve'],
  // the bus: envelope checks above its transports (SQLite through the store's connection)
  bus: ['cli', 'commands', 'rules', 'data', 'generators', 'agents', 'llm', 'serve'],
  agents: ['cli', 'commands', 'llm', 'serve'],
  llm: ['cli', 'commands', 'rules', 'data', 'generators', 'bus', 'agents', 'serve'],
  // the servers call handlers through the loader they are given, never by import
  serve: ['cli', 'commands'],
  commands: ['cli'],
  cli: [],
};

/**
 * Zod and ajv are generate-time tools (docs/development.md, "The contract is the law"): each
 * validator a run uses is compiled at `npm run generate` (ajv standalone code in
 * src/generated/). Only the modules the generator and the tests read import them: the Zod
 * sources of the contracts (the meta-schema of cli-contract.yaml too) and of the rules data,
 * the DSL loader, the standalone emitter.
 * Type imports are free (they vanish from the build); test/unit/no-runtime-validators.test.ts
 * checks the built files.
 */
const generateTime = [
  'src/contracts/action.ts',
  'src/contracts/cli-contract-schema.ts',
  'src/contracts/entities.ts',
  'src/contracts/standalone.ts',
  'src/contracts/bus/common.ts',
  'src/contracts/bus/envelope.ts',
  'src/contracts/bus/json-schema.ts',
  'src/contracts/bus/registry.ts',
  'src/contracts/bus/scribe.ts',
  'src/contracts/bus/sma.ts',
  'src/contracts/bus/wed.ts',
  'src/data/schemas/**',
  'src/llm/dsl/ajv.ts',
  'src/llm/dsl/loader.ts',
  'src/llm/dsl/schema.ts',
];
const validatorLibraries = {
  group: ['zod', 'zod/*', 'ajv', 'ajv/*'],
  allowTypeImports: true,
  message:
    'Zod and ajv are generate-time only: check with the validators `npm run generate` compiles (src/generated/), or list a generate-time module in eslint.config.js (generateTime).',
};

const layerRules = Object.entries(forbidden).flatMap(([layer, banned]) => {
  const ownGenerateTime = generateTime.filter((f) => f.startsWith(`src/${layer}/`));
  const rules = (runtime) => ({
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          ...(runtime ? [validatorLibraries] : []),
          ...banned.map((b) => ({
            group: [`**/${b}/*`, `../${b}`, `../../${b}`],
            message: `src/${layer}/ may not import src/${b}/ (ARCHITECTURE.md, Layout).`,
          })),
          ...(layer === 'store'
            ? []
            : [{ group: ['better-sqlite3'], message: 'Only src/store/ imports better-sqlite3.' }]),
          ...(layer === 'bus'
            ? []
            : [{ group: ['ioredis'], message: 'Only src/bus/ imports the Redis client.' }]),
          ...(layer === 'llm'
            ? []
            : [
                {
                  group: ['openai', '@anthropic-ai/sdk'],
                  message: 'Only src/llm/ imports the LLM SDKs.',
                },
              ]),
        ],
      },
    ],
  });
  return [
    { files: [`src/${layer}/**/*.ts`], ignores: ownGenerateTime, rules: rules(true) },
    ...(ownGenerateTime.length > 0 ? [{ files: ownGenerateTime, rules: rules(false) }] : []),
  ];
});

/**
 * Lazy loading has one home (docs/development.md, "Start-up"; scripts/build.mjs): src/cli/,
 * whose tables load a command (the generated handler tables) or a command's heavy path
 * (src/cli/lazy.ts, `ctx.load`). Outside it, `import()` is allowed only at the one place each
 * optional or heavy dependency loads when chosen — everywhere else a module imports statically.
 */
const lazyBoundaries = {
  'src/core/yaml.ts': 'yaml (most runs never read YAML)',
  'src/store/open.ts': 'the PostgreSQL store, when the campaign is a postgres:// URL',
  'src/store/postgres/connection.ts': 'pg',
  'src/bus/open.ts': 'the Redis transport (ioredis), when DMA_BUS_URL names Redis',
  'src/llm/adapters/index.ts': 'the LLM SDKs (openai, @anthropic-ai/sdk)',
  'src/llm/index.ts': 'the compiled DSL registries',
  'src/generators/map/png.ts': '@resvg/resvg-js and node:zlib, for a PNG map',
  'src/serve/http.ts': "@hono/node-server, and the MCP SDK's HTTP transport for /mcp",
  'src/serve/mcp.ts': "the MCP SDK's stdio transport",
  'src/agents/handlers.ts': "the agents' handler tables (the bus runtime's own dispatch table)",
};

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'src/generated/', 'bench/results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/cli/**'],
    rules: {
      'no-console': 'error',
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'exit', message: 'Only src/cli/ exits.' },
        { object: 'process', property: 'stdout', message: 'Only src/cli/ prints.' },
        { object: 'process', property: 'stderr', message: 'Only src/cli/ prints.' },
      ],
    },
  },
  ...layerRules,
  {
    files: ['src/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [validatorLibraries] }] },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/cli/**', ...Object.keys(lazyBoundaries)],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: 'ImportExpression',
          message:
            'import() only in src/cli/ (a heavy path of a command: a module in src/cli/lazy.ts, loaded with ctx.load) or at the named boundary of an optional dependency (eslint.config.js, lazyBoundaries).',
        },
      ],
    },
  },
  {
    files: ['bin/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { require: 'readonly', __dirname: 'readonly' },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
