/**
 * `dma db grant --read-only ROLE`: a role that can read one campaign's schema and write
 * nothing — USAGE on the schema, SELECT on its tables, now and (default privileges) later.
 */
import { UsageError } from '../../core/errors.ts';
import { quoteIdent } from './connection.ts';
import type { PgStore } from './index.ts';

const ROLE = /^[a-z_][a-z0-9_]{0,62}$/;

export interface GrantResult {
  role: string;
  schema: string;
  created: boolean;
  dry_run: boolean;
  statements: string[];
}

/** A role name dma will grant to (UsageError otherwise): checked before the campaign is opened. */
export function checkRoleName(role: string): void {
  if (!ROLE.test(role) || role.startsWith('pg_'))
    throw new UsageError(
      `role "${role}" is not a usable name: lower-case letters, digits and _, starting with a letter or _, at most 63 (not pg_…)`,
    );
}

/** The statements a read-only grant runs (CREATE ROLE first when the role is missing). */
export function readOnlyStatements(role: string, schema: string, create: boolean): string[] {
  const r = quoteIdent(role);
  const s = quoteIdent(schema);
  return [
    ...(create ? [`CREATE ROLE ${r} NOLOGIN`] : []),
    `GRANT USAGE ON SCHEMA ${s} TO ${r}`,
    `GRANT SELECT ON ALL TABLES IN SCHEMA ${s} TO ${r}`,
    `ALTER DEFAULT PRIVILEGES IN SCHEMA ${s} GRANT SELECT ON TABLES TO ${r}`,
  ];
}

/** Grant `role` reading the campaign, in one transaction; idempotent. */
export async function grantReadOnly(
  store: PgStore,
  role: string,
  opts: { dryRun?: boolean } = {},
): Promise<GrantResult> {
  checkRoleName(role);
  const client = store.client();
  const exists = async () =>
    (await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role])).rows.length > 0;
  if (opts.dryRun) {
    const created = !(await exists());
    const statements = readOnlyStatements(role, store.schema, created);
    return { role, schema: store.schema, created, dry_run: true, statements };
  }
  return store.transaction(async () => {
    const created = !(await exists());
    const statements = readOnlyStatements(role, store.schema, created);
    for (const sql of statements) await client.query(sql);
    return { role, schema: store.schema, created, dry_run: false, statements };
  });
}
