import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateDrizzleJson } from 'drizzle-kit/api';
import { resolvePackageRoot } from '@ydtb/core/tooling';
import type { SchemaSnapshot } from '@ydtb/core/tooling';
import type { RegisteredPackage } from '@ydtb/core/tooling';

/**
 * A package's schema as of one of its migrations: for its last migration, the Drizzle schema it
 * registers; for an earlier one, the drizzle-kit snapshot written beside it
 * (`migrations/meta/NNNN_snapshot.json`, NNNN the migration's number).
 */
export function expectedSchema(pkg: RegisteredPackage, migrationId: string, configFile: string): SchemaSnapshot {
  const ids = (pkg.registration.migrations ?? []).map((m) => m.id).sort();
  if (migrationId === ids.at(-1)) return generateDrizzleJson(pkg.registration.schema as Record<string, unknown>) as unknown as SchemaSnapshot;
  const { packageName } = pkg.registration;
  const file = join(resolvePackageRoot(packageName, configFile), 'migrations', 'meta', `${migrationId.slice(0, 4)}_snapshot.json`);
  if (!existsSync(file)) {
    throw new Error(`${packageName} has no snapshot for ${migrationId} (migrations/meta/${migrationId.slice(0, 4)}_snapshot.json), so its schema as of that migration is unknown; baseline to its last migration instead.`);
  }
  return JSON.parse(readFileSync(file, 'utf8')) as SchemaSnapshot;
}
