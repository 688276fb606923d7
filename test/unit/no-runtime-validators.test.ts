/**
 * One runtime validator (issue #16): every check a run makes uses code compiled at
 * `npm run generate` (ajv standalone code in src/generated/), so no built file of dma loads
 * Zod or ajv — neither by a require or an import, nor bundled into it. The lint rule that
 * keeps the sources so (eslint.config.js, `generateTime`) is checked here too.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const dist = join(root, 'dist');

function builtFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, e.name);
      if (e.isDirectory()) walk(path);
      else if (/\.(c?js|mjs)$/.test(e.name)) out.push(path.slice(dist.length + 1));
    }
  };
  walk(dist);
  return out;
}

/** A require or an import of the package, or its code bundled (a name only its code has). */
const loads = (pkg: 'zod' | 'ajv') =>
  new RegExp(
    `require\\(["']${pkg}(/[^"']*)?["']\\)|from ?["']${pkg}(/[^"']*)?["']|import\\(["']${pkg}(/[^"']*)?["']\\)|vendor/${pkg}\\.cjs`,
  );
const BUNDLED = { zod: /\$ZodType|class ZodError|ZodError\b/, ajv: /strictTuples|new Ajv\b/ };

describe('the built files', () => {
  it('exist (npm test builds first)', () => {
    expect(existsSync(join(dist, 'dma.cjs')), 'run `npm run build`').toBe(true);
  });

  it('neither load nor bundle Zod or ajv', () => {
    const files = builtFiles();
    expect(files.length).toBeGreaterThan(50);
    const found: string[] = [];
    for (const file of files) {
      const code = readFileSync(join(dist, file), 'utf8');
      for (const pkg of ['zod', 'ajv'] as const) {
        if (loads(pkg).test(code) || BUNDLED[pkg].test(code)) found.push(`${file}: ${pkg}`);
      }
    }
    expect(found).toEqual([]);
  });

  it('have no vendored copy of either', () => {
    const vendor = existsSync(join(dist, 'vendor')) ? readdirSync(join(dist, 'vendor')) : [];
    expect(vendor.filter((f) => /^(zod|ajv)\b/.test(f))).toEqual([]);
  });

  it('the markers find a bundled copy (the test can fail)', () => {
    expect(BUNDLED.zod.test('class ZodError extends Error {}')).toBe(true);
    expect(BUNDLED.ajv.test('const o = { strictTuples: "log" }')).toBe(true);
    expect(loads('zod').test('var z = require("zod");')).toBe(true);
    expect(loads('ajv').test('import standalone from "ajv/dist/standalone/index.js";')).toBe(true);
  });
});

async function restrictedHits(filePath: string, code: string): Promise<number> {
  const eslint = new ESLint({ cwd: root });
  const [result] = await eslint.lintText(code, { filePath: join(root, filePath) });
  return result!.messages.filter(
    (m) => m.ruleId === 'no-restricted-imports' && /generate-time only/.test(m.message),
  ).length;
}

describe('the lint rule (eslint.config.js, generateTime)', () => {
  const zod = "import { z } from 'zod';\nexport const s = z.string();\n";
  const ajv = "import { Ajv } from 'ajv';\nexport const a = new Ajv();\n";
  const typeOnly = "import type { z } from 'zod';\nexport type S = z.ZodString;\n";

  it('refuses Zod and ajv in run-time code', async () => {
    expect(await restrictedHits('src/commands/npc-create.ts', zod)).toBe(1);
    expect(await restrictedHits('src/serve/mcp.ts', zod)).toBe(1);
    expect(await restrictedHits('src/llm/validate.ts', ajv)).toBe(1);
    expect(await restrictedHits('src/contracts/bus/validate.ts', zod)).toBe(1);
    expect(await restrictedHits('src/bin.ts', ajv)).toBe(1);
  });

  it('allows a type import, and the generate-time modules', async () => {
    expect(await restrictedHits('src/commands/npc-create.ts', typeOnly)).toBe(0);
    expect(await restrictedHits('src/data/schemas/monsters.ts', zod)).toBe(0);
    expect(await restrictedHits('src/contracts/bus/envelope.ts', zod)).toBe(0);
    expect(await restrictedHits('src/llm/dsl/ajv.ts', ajv)).toBe(0);
  });
}, 60_000);
