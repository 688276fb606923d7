export { default as monsterThac0Table } from '../generated/data/monster_thac0.ts';
