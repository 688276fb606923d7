export { default as thac0Table } from '../generated/data/thac0.ts';
