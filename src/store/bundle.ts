/**
 * Saving a generated artifact — several entities and the links between them — in one
 * transaction: the bundle is written through `import`, which validates every record
 * first and writes all or nothing.
 */
import { randomUUID } from 'node:crypto';
import { EXPORT_SCHEMA_VERSION, type EntityType } from '../contracts/entity-types.ts';
import type { Store } from './types.ts';

export interface BundleEntity {
  /** a key to refer to this entity in `links` */
  key: string;
  type: EntityType;
  name: string;
  data: Record<string, unknown>;
}

export interface BundleLink {
  source: string;
  target: string;
  type: string;
  strength?: number;
}

/** Write the bundle atomically; returns the new ids by key. */
export async function saveBundle(
  store: Store,
  entities: readonly BundleEntity[],
  links: readonly BundleLink[],
  opts: { now: Date; dryRun?: boolean; newId?: () => string },
): Promise<Map<string, string>> {
  const newId = opts.newId ?? randomUUID;
  const stamp = opts.now.toISOString();
  const ids = new Map(entities.map((e) => [e.key, newId()]));
  const idOf = (key: string) => {
    const id = ids.get(key);
    if (!id) throw new Error(`bundle link names unknown entity key "${key}"`);
    return id;
  };
  await store.import(
    {
      schema_version: EXPORT_SCHEMA_VERSION,
      exported_at: stamp,
      entities: entities.map((e) => ({
        id: idOf(e.key),
        type: e.type,
        name: e.name,
        data: e.data,
        version: 1,
        created_at: stamp,
        updated_at: stamp,
      })),
      relationships: links.map((l) => ({
        id: newId(),
        source: idOf(l.source),
        target: idOf(l.target),
        type: l.type,
        strength: l.strength ?? null,
        created_at: stamp,
      })),
    },
    { dryRun: opts.dryRun === true },
  );
  return ids;
}
