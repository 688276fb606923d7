export { default as weaponsTable } from '../generated/data/weapons.ts';
