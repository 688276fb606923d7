/** A command's JSON document: schema_version first, then the result's fields (CLI-CONVENTIONS.md). */
export function toDocument(result: unknown, schemaVersion: string | null): unknown {
  if (schemaVersion && result && typeof result === 'object' && !Array.isArray(result)) {
    return { schema_version: schemaVersion, ...(result as Record<string, unknown>) };
  }
  return result;
}
