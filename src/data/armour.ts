export { default as armourTable } from '../generated/data/armour.ts';
