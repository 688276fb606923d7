export { default as thiefSkillsTable } from '../generated/data/thief_skills.ts';
