export { default as savingThrowsTable } from '../generated/data/saving_throws.ts';
