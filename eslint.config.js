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

const layerRules = Object.entries(forbidden).map(([layer, banned]) => ({
  files: [`src/${layer}/**/*.ts`],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
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
  },
}));

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
  'src/generators/map/png.ts': '@resvg/resvg-js, for a PNG map',
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
