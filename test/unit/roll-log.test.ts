/** The compact stored roll log (src/core/roll-log.ts): lossless, small, append-only dictionary. */
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  entityDataIssue,
  isRollStep,
  ROLL_STEP_MESSAGE,
} from '../../src/contracts/entity-rules.ts';
import { createRng } from '../../src/core/rng.ts';
import {
  decodeRollLog,
  encodeRollLog,
  rollLogSteps,
  ROLL_LOG_PREFIX,
  scanRollLog,
  scanRollLogLengths,
  type RollLogStep,
} from '../../src/core/roll-log.ts';
import { ROLL_LOG_DICTIONARY } from '../../src/core/roll-log-dictionary.ts';
import { generateNpcs, npcRecord } from '../../src/generators/npc/index.ts';

const text = fc.string({ maxLength: 40 });
const step: fc.Arbitrary<RollLogStep> = fc.record(
  {
    step: fc.oneof(
      fc.string({ minLength: 1, maxLength: 30 }),
      fc.constantFrom(...ROLL_LOG_DICTIONARY.slice(0, 20)),
    ),
    table: fc.oneof(text, fc.constantFrom('|', '\\', '~1', '^0', '#5', '\\e', 'a|b\\c\nd')),
    source: text,
    dice: text,
    rolls: fc.array(fc.integer({ min: -1e9, max: 1e9 }), { maxLength: 8 }),
    result: fc.oneof(fc.integer(), fc.string({ minLength: 1, maxLength: 40 })),
    note: fc.oneof(text, fc.constantFrom(...ROLL_LOG_DICTIONARY.slice(0, 50))),
  },
  { requiredKeys: ['step', 'rolls', 'result'] },
);

describe('compact roll log', () => {
  it('decodes to exactly the steps it encoded (any text, separators and escapes included)', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 30 }), (steps) => {
        const back = decodeRollLog(encodeRollLog(steps));
        expect(back).toEqual(steps.map((s) => ({ ...s })));
      }),
      { numRuns: 500, seed: 15 },
    );
  });

  it('encodes texts beyond ASCII (Latin-1 and wider) losslessly', () => {
    const wide = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 20 }),
      fc.constantFrom('café', 'd100 ≤ 5', '~é', 'ÿ|\\', '😀'),
    );
    const unicodeStep: fc.Arbitrary<RollLogStep> = fc.record(
      {
        step: wide,
        table: wide,
        rolls: fc.array(fc.nat(), { maxLength: 3 }),
        result: wide,
        note: wide,
      },
      { requiredKeys: ['step', 'rolls', 'result'] },
    );
    fc.assert(
      fc.property(fc.array(fc.oneof(step, unicodeStep), { maxLength: 20 }), (steps) => {
        expect(decodeRollLog(encodeRollLog(steps))).toEqual(steps.map((s) => ({ ...s })));
      }),
      { numRuns: 500, seed: 16 },
    );
    // the literal texts as they are, escapes aside
    const latin = [{ step: 'café au lait', rolls: [1], result: 'crème|brûlée', note: 'ÿ\n' }];
    const latinLog = encodeRollLog(latin);
    expect(latinLog).toBe('dma-log:1\ncafé au lait||||1|crème\\|brûlée|ÿ\\n');
    expect(encodeRollLog([...latin, { step: '≤', rolls: [], result: 2 }])).toBe(
      `${latinLog}\n≤|||||#2`,
    );
  });

  it('stores real roll logs at a quarter of their JSON size or less', () => {
    const npcs = generateNpcs({}, 300, createRng(1));
    let json = 0;
    let stored = 0;
    for (const n of npcs) {
      json += JSON.stringify(n.roll_log).length;
      stored += JSON.stringify(npcRecord(n).data.roll_log).length;
      expect(decodeRollLog(npcRecord(n).data.roll_log)).toEqual(n.roll_log);
    }
    expect(stored * 4).toBeLessThan(json);
  });

  it('a malformed log is refused by the store rules, an old array log still accepted', () => {
    const n = generateNpcs({}, 1, createRng(2))[0]!;
    const rec = npcRecord(n).data;
    expect(entityDataIssue('npc', rec)).toBeUndefined();
    expect(entityDataIssue('npc', { ...rec, roll_log: n.roll_log })).toBeUndefined();
    expect(entityDataIssue('npc', { ...rec, roll_log: 'dma-log:1\n~zzzz|x' })?.message).toMatch(
      /not a compact roll log/,
    );
    expect(rollLogSteps('dma-log:1\n~zzzz|x')).toBeUndefined();
    expect(rollLogSteps(n.roll_log)).toBe(n.roll_log);
  });

  it('checks a compact log as decoding it and checking each step would, without decoding it', () => {
    // the reference: decode (malformed: the decoder's message), then the first bad step
    const reference = (log: string) => {
      let steps: RollLogStep[];
      try {
        steps = decodeRollLog(log);
      } catch (err) {
        return { path: ['roll_log'], message: `not a compact roll log: ${(err as Error).message}` };
      }
      const bad = steps.findIndex((x) => !isRollStep(x));
      return bad < 0 ? undefined : { path: ['roll_log', bad], message: ROLL_STEP_MESSAGE };
    };
    const rec = npcRecord(generateNpcs({}, 1, createRng(3))[0]!).data;
    const checked = (log: string) => {
      const issue = entityDataIssue('npc', { ...rec, roll_log: log });
      return issue && { path: issue.segments, message: issue.message };
    };
    // steps that break the bounds too: empty and long texts, many rolls
    const loose: fc.Arbitrary<RollLogStep> = fc.record(
      {
        step: fc.string({ maxLength: 210 }),
        table: fc.string({ maxLength: 205 }),
        dice: fc.string({ maxLength: 55 }),
        rolls: fc.array(fc.integer(), { maxLength: 105 }),
        result: fc.oneof(fc.integer(), fc.string({ maxLength: 5 })),
        note: fc.string({ maxLength: 3 }),
      },
      { requiredKeys: ['step', 'rolls', 'result'] },
    );
    fc.assert(
      fc.property(
        fc.array(loose, { maxLength: 8 }),
        fc.nat(),
        fc.constantFrom('', '|', '\\', '\n', '~zz', '^9', '#x', ' x', '\\e'),
        (steps, at, junk) => {
          const log = encodeRollLog(steps);
          expect(checked(log)).toEqual(reference(log));
          // and with junk spliced in somewhere after the prefix: malformed or not, the same verdict
          const cut =
            ROLL_LOG_PREFIX.length + (at % Math.max(1, log.length - ROLL_LOG_PREFIX.length));
          const spliced = log.slice(0, cut) + junk + log.slice(cut);
          expect(checked(spliced)).toEqual(reference(spliced));
        },
      ),
      { numRuns: 1000, seed: 16 },
    );
  });

  it('reads the lengths scanRollLog would give, or leaves the log to it (-1)', () => {
    // scanRollLog's fields as lengths (-1 absent, -2 a numeric result), or its error
    const reference = (log: string) => {
      const out: number[][] = [];
      try {
        scanRollLog(log, (f) => {
          const len = (t: string | undefined) => (t === undefined ? -1 : t.length);
          out.push([
            len(f.step),
            len(f.table),
            len(f.source),
            len(f.dice),
            f.rolls === '' ? -1 : f.rollCount,
            typeof f.result === 'number' ? -2 : f.result.length,
            len(f.note),
          ]);
        });
      } catch {
        return 'malformed';
      }
      return out;
    };
    let read = 0;
    fc.assert(
      fc.property(
        fc.array(step, { maxLength: 8 }),
        fc.nat(),
        fc.constantFrom('', '|', '\\', '\n', '~zz', '~0', '^0', '^9', '#x', '#', ' x', '  ', '1 2'),
        (steps, at, junk) => {
          const log = encodeRollLog(steps);
          const cut =
            ROLL_LOG_PREFIX.length + (at % Math.max(1, log.length - ROLL_LOG_PREFIX.length));
          for (const l of [log, log.slice(0, cut) + junk + log.slice(cut)]) {
            const seen: number[][] = [];
            const n = scanRollLogLengths(l, (x) => (seen.push([...x]), true));
            if (n < 0) continue;
            read++;
            expect(seen).toEqual(reference(l));
            expect(n).toBe(seen.length);
          }
        },
      ),
      { numRuns: 3000, seed: 18 },
    );
    // enough of them are read in place (these texts hold many escapes and separators)
    expect(read).toBeGreaterThan(300);
    // real logs all are
    for (const n of generateNpcs({}, 50, createRng(5)))
      expect(scanRollLogLengths(npcRecord(n).data.roll_log, () => true)).toBe(n.roll_log.length);
  });

  it('decodes as the line-and-split reading of the format does, malformed logs included', () => {
    // the format read the plain way (src/core/roll-log.ts's header): lines, fields split at
    // unescaped `|`, references by parseInt; the scanner reads it in place
    const splitLine = (line: string) => {
      const out: string[] = [];
      let cur = '';
      for (let i = 0; i < line.length; i++) {
        if (line[i] === '\\') cur += line[i]! + (line[++i] ?? '');
        else if (line[i] === '|') {
          out.push(cur);
          cur = '';
        } else cur += line[i];
      }
      return [...out, cur];
    };
    const unescape = (s: string) => s.replace(/\\(.?)/g, (_, c: string) => (c === 'n' ? '\n' : c));
    const plain = (log: string): RollLogStep[] => {
      if (!log.startsWith(ROLL_LOG_PREFIX)) throw new RangeError('not a dma roll log');
      const body = log.slice(ROLL_LOG_PREFIX.length);
      if (body === '') return [];
      const literals: string[] = [];
      const text = (f: string | undefined) => {
        if (f === undefined || f === '') return undefined;
        if (f === '\\e') return '';
        if (f[0] === '~' || f[0] === '^') {
          const s = (f[0] === '~' ? ROLL_LOG_DICTIONARY : literals)[parseInt(f.slice(1), 36)];
          if (s === undefined)
            throw new RangeError(
              `roll log: no ${f[0] === '~' ? 'dictionary entry' : 'earlier text'} ${f}`,
            );
          return s;
        }
        const s = unescape(f);
        if (s.length > 3) literals.push(s);
        return s;
      };
      return body.split('\n').map((line) => {
        const f = splitLine(line);
        const step = text(f[0]);
        if (step === undefined) throw new RangeError('roll log: a step without a name');
        const s = { step } as RollLogStep;
        const [table, source, dice] = [text(f[1]), text(f[2]), text(f[3])];
        if (table !== undefined) s.table = table;
        if (source !== undefined) s.source = source;
        if (dice !== undefined) s.dice = dice;
        s.rolls = (f[4] ?? '') === '' ? [] : f[4]!.split(' ').map(Number);
        if (!s.rolls.every(Number.isSafeInteger)) throw new RangeError('roll log: bad rolls');
        const r = f[5] ?? '';
        if (r[0] === '#') {
          s.result = Number(r.slice(1));
          if (!Number.isSafeInteger(s.result)) throw new RangeError('roll log: bad result');
        } else {
          const t = text(r);
          if (t === undefined) throw new RangeError('roll log: a step without a result');
          s.result = t;
        }
        const note = text(f[6]);
        if (note !== undefined) s.note = note;
        return s;
      });
    };
    const outcome = (f: () => unknown) => {
      try {
        return { ok: f() };
      } catch (err) {
        return { error: (err as Error).message };
      }
    };
    const junk = fc.constantFrom(
      '',
      '|',
      '\\',
      '\\\n',
      '\n',
      '~zz',
      '~A',
      '~',
      '^9',
      '^0',
      '#',
      '#x',
      '#-',
      '# 5',
      ' x',
      '\\e',
      '-',
      '+7',
      '1e3',
      '0x1f',
      '  ',
      '|||||||||',
      '~0|~1|~2|~3|1 2|#3|~4|extra',
    );
    fc.assert(
      fc.property(fc.array(step, { maxLength: 6 }), fc.nat(), junk, (steps, at, bit) => {
        const log = encodeRollLog(steps);
        const cut = ROLL_LOG_PREFIX.length + (at % (log.length - ROLL_LOG_PREFIX.length + 1));
        for (const l of [log, log.slice(0, cut) + bit + log.slice(cut)])
          expect(outcome(() => decodeRollLog(l))).toEqual(outcome(() => plain(l)));
      }),
      { numRuns: 3000, seed: 17 },
    );
  });

  it('the dictionary is append-only: the first 732 entries never change', () => {
    // stored logs refer to entries by position; adding entries is fine, changing them is not
    const v1 = ROLL_LOG_DICTIONARY.slice(0, 732);
    expect(createHash('sha256').update(JSON.stringify(v1)).digest('hex')).toBe(
      '1a8f6f4f8b7c5ae7116ff9f847e9d2cc9558e2c034b93ee91f25f0723ac47e55',
    );
  });
});
