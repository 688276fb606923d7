/** System Mastery: the rules engine's agent (rules.thac0, rules.save, rules.lookup, rules.roll). */
import { createRng } from '../core/rng.ts';
import { SAVE_CATEGORIES } from '../contracts/bus/vocabulary.ts';
import type { RequestMessage } from '../contracts/bus/envelope.ts';
import { parseDice, rollDice } from '../rules/dice.ts';
import { saves } from '../rules/saves.ts';
import { thac0 } from '../rules/thac0.ts';
import { seedFromKey, type HandlerTable } from './runtime.ts';
import { ruleLookup } from './sma-lookups.ts';

const THAC0_SOURCE = 'PHB Table 53';
const SAVES_SOURCE = 'PHB Table 60';

export const smaHandlers: HandlerTable = {
  'rules.thac0': (msg: RequestMessage<'rules.thac0'>) => {
    const r = thac0(msg.payload.class, msg.payload.level);
    return {
      result: {
        class: msg.payload.class,
        group: r.group,
        level: r.level,
        thac0: r.thac0,
        source: THAC0_SOURCE,
      },
    };
  },

  'rules.save': (msg: RequestMessage<'rules.save'>) => {
    const r = saves(msg.payload.class, msg.payload.level);
    const wanted = msg.payload.save === undefined ? SAVE_CATEGORIES : [msg.payload.save];
    const out: Record<string, number> = {};
    for (const c of wanted) out[c] = r.saves[c];
    return {
      result: {
        class: msg.payload.class,
        group: r.group,
        level: r.level,
        saves: out,
        source: SAVES_SOURCE,
      },
    };
  },

  'rules.lookup': (msg: RequestMessage<'rules.lookup'>) => {
    const { table, key, params } = msg.payload;
    const r = ruleLookup(table, key, params ?? {});
    return { result: { table, key, value: r.value, source: r.source.slice(0, 200) } };
  },

  'rules.roll': (msg: RequestMessage<'rules.roll'>) => {
    const spec = parseDice(msg.payload.notation);
    const seed = msg.payload.seed ?? seedFromKey(msg.idempotency_key);
    const rng = createRng(seed);
    const rolls = Array.from({ length: msg.payload.times }, () => {
      const r = rollDice(spec, rng);
      return {
        notation: r.notation,
        dice: r.dice,
        rolls: r.rolls,
        ...(r.kept === undefined ? {} : { kept: r.kept }),
        ...(r.dropped === undefined ? {} : { dropped: r.dropped }),
        modifier: r.modifier,
        total: r.total,
        ...(r.is_critical ? { is_critical: true as const } : {}),
        ...(r.is_fumble ? { is_fumble: true as const } : {}),
      };
    });
    return { result: { rolls, seed } };
  },
};
