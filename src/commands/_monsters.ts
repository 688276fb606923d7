/** The monster catalogue, for `explain monster <name>` only (`lazy(ctx, '_monsters')`). */
export { resolveMonster, thac0HitDice } from '../rules/monsters.ts';
