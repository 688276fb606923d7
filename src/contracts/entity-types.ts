/**
 * The Zod-free half of the entity contract: types and constants that read paths need
 * (`dma entity show` must not pay for loading Zod). The schemas are in entities.ts.
 */
export const ENTITY_TYPES = [
  'npc',
  'location',
  'dungeon',
  'room',
  'item',
  'faction',
  'pc',
  'note',
] as const;
export type EntityType = (typeof ENTITY_TYPES)[number];

export function isEntityType(value: string): value is EntityType {
  return (ENTITY_TYPES as readonly string[]).includes(value);
}

/** PHB chapter 1: the nine alignments, written out in lower case. */
export const ALIGNMENTS = [
  'lawful good',
  'neutral good',
  'chaotic good',
  'lawful neutral',
  'true neutral',
  'chaotic neutral',
  'lawful evil',
  'neutral evil',
  'chaotic evil',
] as const;
export type Alignment = (typeof ALIGNMENTS)[number];

/** A stored entity, as the store returns it and as export writes it. */
export interface Entity {
  id: string;
  type: EntityType;
  name: string;
  data: Record<string, unknown>;
  /** optimistic concurrency: 1 on creation, +1 on every update */
  version: number;
  created_at: string;
  updated_at: string;
}

export interface Relationship {
  id: string;
  source: string;
  target: string;
  type: string;
  /** -1 (hostile) … 1 (devoted); null when not given */
  strength: number | null;
  created_at: string;
}

/** Version of the export document; a reader accepts the same major. */
export const EXPORT_SCHEMA_VERSION = '1.0';

export interface ExportDocument {
  schema_version: string;
  exported_at: string;
  entities: Entity[];
  relationships: Relationship[];
}
