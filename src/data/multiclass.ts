export { default as multiclassTable } from '../generated/data/multiclass.ts';
