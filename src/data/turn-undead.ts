export { default as turnUndeadTable } from '../generated/data/turn_undead.ts';
