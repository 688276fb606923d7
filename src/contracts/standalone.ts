/**
 * Generate-time only: a set of schemas compiled by ajv's standalone code generator into
 * one ES module with no imports (`npm run generate` writes the compiled contracts and the
 * DSL's handoff validators this way). Never imported by the runtime.
 */
import type { Ajv } from 'ajv';
import standaloneCode from 'ajv/dist/standalone/index.js';

/**
 * String lengths in code points (ajv's ucs2length, and what Zod counts), inlined: the
 * module must not need ajv at run time. UTF-16 units when no surrogate is there.
 */
const UCS2LENGTH = [
  'const SURROGATE = /[\\uD800-\\uDFFF]/;',
  'const ucs2length = (s) => { if (!SURROGATE.test(s)) return s.length; let n = 0; for (const _ of s) n++; return n; };',
].join('\n');

/**
 * The module's source: a comment header, the validators, and `export const <exportName>`
 * mapping each key to its validator. `gen` must be made with `code: {source: true, esm:
 * true}` and hold every schema under its key.
 */
export function standaloneModule(
  gen: Ajv,
  keys: readonly string[],
  opts: { header: readonly string[]; exportName: string },
): string {
  const names = Object.fromEntries(keys.map((key, i) => [`v${i}`, key]));
  const toCode =
    (standaloneCode as unknown as { default?: typeof standaloneCode }).default ?? standaloneCode;
  const code = toCode(gen, names)
    .replace(/require\("ajv\/dist\/runtime\/ucs2length"\)\.default/g, 'ucs2length')
    .replace(/^"use strict";/, '');
  if (/require\(/.test(code))
    throw new Error('standalone validators need an ajv runtime module; inline it');
  return [
    ...opts.header.map((line) => `// ${line}`),
    '// @ts-nocheck',
    '/* eslint-disable */',
    UCS2LENGTH,
    code,
    `export const ${opts.exportName} = { ${Object.entries(names)
      .map(([name, key]) => `${JSON.stringify(key)}: ${name}`)
      .join(', ')} };`,
  ].join('\n');
}
