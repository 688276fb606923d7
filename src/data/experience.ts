export { default as experienceTable } from '../generated/data/experience.ts';
