export { default as magicItemsData } from '../generated/data/magic_items.ts';
export type {
  MagicCategory,
  MagicItemData,
  MagicItemsData,
  UsableBy,
} from './schemas/magic-items.ts';
