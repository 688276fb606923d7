export { default as classesTable } from '../generated/data/classes.ts';
