/**
 * Planning before stocking: what each room holds by the dungeon's theme and the DM's set
 * pieces. Every room's contents are rolled (1e DMG Appendix A Table V.F); then
 *
 * - set pieces (--key-room) take the room with the down stairs and the rooms farthest from
 *   the entrance;
 * - a warren is one humanoid tribe, after its Monstrous Manual lair composition: guards at
 *   the rooms nearest the entrance, warriors with their leaders in the other monster rooms,
 *   the females and young in a den, kept beasts in a pen, and the chieftain with his
 *   bodyguards and the tribe's hoard in the farthest room;
 * - a crypt's monster rooms hold undead, and those rooms are tombs.
 */
import type { MonsterData } from '../../data/monsters.ts';
import { dungeonTable } from '../../data/dungeon.ts';
import { findMonster, monsterGroup, xpForHitDice } from './monsters.ts';
import {
  countFor,
  maxOf,
  pickMonster,
  setPiecePlan,
  setPieceRooms,
  type RoomPlan,
  type StockContext,
} from './stock.ts';
import type { ContentKind, KeyRoom, MonsterGroup, RoomLayout, Stairs } from './types.ts';

const isMonsterKind = (k: ContentKind): boolean => k === 'monster' || k === 'monster and treasure';

export function planRooms(
  rooms: readonly RoomLayout[],
  stairs: readonly Stairs[],
  keyRooms: readonly KeyRoom[],
  ctx: StockContext,
): Map<string, RoomPlan> {
  const plans = new Map<string, RoomPlan>();
  const kinds = new Map<string, ContentKind>();
  for (const r of rooms) kinds.set(r.id, ctx.roller.roll('room_contents') as ContentKind);
  const down = stairs.find((s) => s.direction === 'down')?.room;
  // every room but the entrance, farthest first; the entrance last
  const far = setPieceRooms(rooms, down, rooms.length);
  if (rooms.length > 1) far.push(rooms[0]!.id);
  // a level with no inhabitants at all is no adventure: the farthest room becomes a lair
  if (keyRooms.length === 0 && ![...kinds.values()].some(isMonsterKind)) {
    kinds.set(far[0]!, 'monster and treasure');
    ctx.roller.record('no monster rolled: the farthest room is a lair', 0, far[0]!);
  }
  const keyIds = far.slice(0, keyRooms.length);
  keyRooms.forEach((k, i) => plans.set(keyIds[i]!, setPiecePlan(k, ctx)));
  const free = rooms.filter((r) => !plans.has(r.id));

  if (ctx.themeName === 'warren') planWarren(free, far, kinds, plans, ctx);
  if (ctx.themeName === 'crypt') {
    for (const r of free) {
      const kind = kinds.get(r.id)!;
      if (!isMonsterKind(kind)) continue;
      plans.set(r.id, cryptTomb(kind, ctx));
    }
  }
  for (const r of rooms) if (!plans.has(r.id)) plans.set(r.id, { kind: kinds.get(r.id)! });
  return plans;
}

/** A crypt's monster room: undead where the level has any, in a tomb. */
function cryptTomb(kind: ContentKind, ctx: StockContext): RoomPlan {
  const target = ctx.budget.room;
  const m = pickMonster(ctx, target, (x) => x.tags.includes('undead'));
  const count = countFor(m, target, m.treasure.lair.length > 0);
  const undead = m.tags.includes('undead');
  return {
    kind,
    ...(undead ? { purpose: 'tomb' } : {}),
    groups: [monsterGroup(m, count, ctx.roller.rng)],
    lairOf: { monster: m, count },
    ...(undead
      ? { note: 'the dead lie in niches and sarcophagi here, and some of them rise' }
      : {}),
  };
}

type Member = NonNullable<MonsterData['lair']>['members'][number];

const CHIEF = /chief|king|lord|leader of the tribe|sub-?chief|captain/i;
const GUARD = /guard/i;

/** "(HD 1-1)" or "(HD 2, AC 5, ...)" in a lair note: the Hit Dice and AC it gives */
function noteStats(note: string | undefined): { hd?: string; ac?: number } {
  const m = /\(HD ([\d/+-]+)(?:, AC (-?\d+))?/.exec(note ?? '');
  if (!m) return {};
  return { hd: m[1]!, ...(m[2] === undefined ? {} : { ac: Number(m[2]) }) };
}

/** "with 2d4 bodyguards (HD 2, AC 5, 2d4 damage)": the bodyguards a lair note gives a leader */
function bodyguardsOf(
  note: string | undefined,
): { count: string; hd?: string; ac?: number } | undefined {
  const m = /with (\d+d\d+|\d+|two|four) (?:elite )?(?:body)?guards/i.exec(note ?? '');
  if (!m) return undefined;
  const words: Record<string, string> = { two: '2', four: '4' };
  const rest = (note ?? '').slice(m.index);
  return { count: words[m[1]!.toLowerCase()] ?? m[1]!, ...noteStats(rest) };
}

const NON_COMBATANT = /do not fight|non-?combatant/i;

/** The XP of the chieftain and his officers (without bodyguards): what the hall costs at least. */
function chiefXp(tribe: MonsterData): number {
  let xp = 0;
  for (const m of tribe.lair?.members ?? [])
    if (m.count !== undefined && CHIEF.test(m.role))
      xp += xpForHitDice(tribe, m.hd ?? noteStats(m.note).hd ?? tribe.hd);
  return xp;
}

/**
 * The tribe of a warren: a humanoid of the level with a lair composition, whose chieftain
 * is not beyond a hard fight for the party (else the tribe with the weakest chieftain).
 */
function chooseTribe(ctx: StockContext): MonsterData | undefined {
  const here = ctx.candidates.filter((m) => m.lair !== undefined && m.tags.includes('humanoid'));
  if (here.length === 0) return undefined;
  const cap = ctx.budget.room * dungeonTable.encounters.ratings.hard;
  const fit = here.filter((m) => chiefXp(m) <= cap);
  if (fit.length === 0) {
    const weakest = [...here].sort(
      (a, b) => chiefXp(a) - chiefXp(b) || (a.name < b.name ? -1 : 1),
    )[0]!;
    ctx.roller.record('warren tribe (the weakest chieftain)', 0, weakest.name);
    return weakest;
  }
  return pickMonster(ctx, ctx.budget.room, (m) => fit.includes(m));
}

function planWarren(
  free: readonly RoomLayout[],
  farOrder: readonly string[],
  kinds: Map<string, ContentKind>,
  plans: Map<string, RoomPlan>,
  ctx: StockContext,
): void {
  const tribe = chooseTribe(ctx);
  if (!tribe?.lair) return;
  const members = tribe.lair.members;
  const rng = ctx.roller.rng;
  const budget = ctx.budget.room;
  const freeIds = new Set(free.map((r) => r.id));
  const byFar = farOrder.filter((id) => freeIds.has(id));
  const byNear = [...byFar].reverse();
  let warriors = 0;

  const withRole = (m: Member, count: number): MonsterGroup => {
    const fromNote = noteStats(m.note);
    const hd = m.hd ?? fromNote.hd;
    const ac = m.ac ?? fromNote.ac;
    const g = monsterGroup(tribe, count, rng, {
      role: m.role,
      ...(hd === undefined ? {} : { hd }),
      ...(m.hp === undefined ? {} : { hp: m.hp }),
      ...(ac === undefined ? {} : { ac }),
      ...(m.thac0 === undefined ? {} : { thac0: m.thac0 }),
      ...(m.damage_bonus === undefined ? {} : { damage_bonus: m.damage_bonus }),
      ...(m.note === undefined ? {} : { note: m.note }),
    });
    // those who do not fight are no threat and earn no XP for the fight
    if (NON_COMBATANT.test(m.note ?? '')) {
      g.xp_each = 0;
      g.xp_total = 0;
    }
    return g;
  };

  /** rank and file with one leader for every `per` of them, sized to `target` XP */
  const band = (target: number, role: string): MonsterGroup[] => {
    const n = countFor(tribe, target, true);
    const groups: MonsterGroup[] = [];
    let rank = n;
    for (const m of members) {
      if (m.per === undefined || CHIEF.test(m.role) || m.hd === undefined) continue;
      const k = Math.floor(n / m.per);
      if (k < 1 || k >= rank) continue;
      rank -= k;
      groups.push(withRole(m, k));
    }
    groups.unshift(monsterGroup(tribe, rank, rng, { role }));
    warriors += n;
    return groups;
  };

  // the chieftain's hall: the farthest free room
  const hall = byFar[0];
  if (hall !== undefined) {
    const groups: MonsterGroup[] = [];
    for (const m of members) {
      if (m.count === undefined) continue;
      if (!CHIEF.test(m.role) && !GUARD.test(m.role)) continue;
      const rolled = Math.max(
        1,
        Math.min(maxOf(m.count), ctx.roller.dice(`${tribe.name} ${m.role}`, m.count)),
      );
      groups.push(withRole(m, rolled));
      const guards = bodyguardsOf(m.note);
      if (guards && CHIEF.test(m.role)) {
        const n = Math.max(
          1,
          ctx.roller.dice(`${tribe.name} ${m.role}'s bodyguards`, guards.count),
        );
        groups.push(
          withRole(
            {
              role: `${m.role}'s bodyguards`,
              count: guards.count,
              ...(guards.hd === undefined ? {} : { hd: guards.hd }),
              ...(guards.ac === undefined ? {} : { ac: guards.ac }),
            },
            n,
          ),
        );
      }
    }
    if (groups.length === 0) groups.push(...band(budget * 2, "chieftain's guards"));
    // trim the bodyguards (never the chieftain) to a hard fight
    const cap = budget * 2;
    let xp = groups.reduce((s, g) => s + g.xp_total, 0);
    for (let i = groups.length - 1; i > 0 && xp > cap; i--) {
      const g = groups[i]!;
      while (g.count > 1 && xp > cap) {
        g.count--;
        g.hp.pop();
        g.xp_total -= g.xp_each;
        xp -= g.xp_each;
      }
    }
    plans.set(hall, {
      kind: 'monster and treasure',
      purpose: "chieftain's hall",
      groups,
      // the tribe's whole hoard, and the purses of those present
      lairOf: { monster: tribe, count: groups.reduce((n, g) => n + g.count, 0), scale: 1 },
      note: `the ${tribe.name} chieftain keeps the tribe's hoard here`,
    });
  }
  // guards at the rooms nearest the entrance, warriors wherever the contents roll says monster
  const guardRooms = byNear.slice(0, Math.min(2, Math.max(0, byNear.length - 2)));
  for (const id of guardRooms) {
    if (id === hall) continue;
    plans.set(id, {
      kind: 'monster',
      purpose: 'guard post',
      groups: band(budget * 0.75, 'guards'),
    });
  }
  for (const id of byNear) {
    if (plans.has(id) || !isMonsterKind(kinds.get(id)!)) continue;
    plans.set(id, {
      kind: kinds.get(id)!,
      purpose: 'barracks',
      groups: band(budget, 'warriors'),
      ...(kinds.get(id) === 'monster and treasure' ? { lairOf: { monster: tribe, count: 1 } } : {}),
    });
  }
  // a warren is busy: one empty room in three holds warriors off duty
  for (const id of byNear) {
    if (plans.has(id) || kinds.get(id) !== 'empty') continue;
    if (ctx.roller.dice('warren: warriors off duty (1-2 on d6)', '1d6') > 2) continue;
    plans.set(id, {
      kind: 'monster',
      purpose: 'common room',
      groups: band(budget * 0.5, 'warriors off duty'),
    });
  }
  // the den of the females and young: an empty room, the one nearest the hall
  const den = byFar.find((id) => !plans.has(id) && kinds.get(id) === 'empty');
  if (den !== undefined) {
    const groups: MonsterGroup[] = [];
    for (const m of members) {
      if (m.percent === undefined) continue;
      const n = Math.max(1, Math.min(40, Math.round((warriors * m.percent) / 100)));
      groups.push(withRole(m, n));
    }
    if (groups.length > 0)
      plans.set(den, { kind: 'monster', purpose: 'den of the females and young', groups });
  }
  // kept beasts (worgs, wolves) in a pen, when the lair has them
  for (const c of tribe.lair.companions ?? []) {
    const roll = ctx.roller.dice(`${tribe.name} keep ${c.name} (${c.chance}%)`, '1d100');
    const beast = findMonster(c.name);
    const pen = byFar.find((id) => !plans.has(id) && kinds.get(id) !== 'trap');
    if (roll > c.chance || !beast || pen === undefined) continue;
    const n = Math.max(
      1,
      Math.min(ctx.roller.dice(`${c.name} kept`, c.count), countFor(beast, budget, true)),
    );
    plans.set(pen, {
      kind: 'monster',
      purpose: 'animal pen',
      groups: [monsterGroup(beast, n, rng, { role: `kept by the tribe` })],
    });
  }
}
