import { afterAll, afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { invoicingModule } from '@ydtb/fixture-invoicing';
import type { SqlClient } from '../apps/core/src/lib/database/sql-client';
import { driftOf, migrateDatabase } from '../apps/core/src/lib/migrations/migrate-database';
import { createContainer } from '../apps/core/src/lib/registry/container';
import { DatabaseRegistry } from '../apps/core/src/lib/registry/database';
import { defaultRegistryConfig } from '../apps/core/src/lib/registry/registry-config';
import { eraseWorkspace } from '../apps/core/src/lib/tenancy/erase-workspace';
import { exportWorkspace } from '../apps/core/src/lib/tenancy/export-workspace';
import { asWorkspace, checksums, exportedRows, seedCore, WORKSPACES } from '../apps/core/src/lib/tenancy/fixtures/life-cycle-fixtures';
import { importWorkspace } from '../apps/core/src/lib/tenancy/import-workspace';
import { restorePackage } from '../apps/core/src/lib/tenancy/restore-package';
import { uninstallPackage } from '../apps/core/src/lib/tenancy/uninstall-package';
import { seedCurrencies, seedInvoicingRows } from './fixtures/invoicing-rows';
import { closeTemplatePglite, databaseKinds } from './test-databases';

afterAll(closeTemplatePglite);

const config = defaultRegistryConfig;
const registry = () => createContainer([invoicingModule]).get(DatabaseRegistry);

describe.each(databaseKinds)('the life cycle of @ydtb/fixture-invoicing on $name', (kind) => {
  let client: SqlClient;
  let release: () => Promise<void>;
  let folder: string;
  let exports = 0;
  const exportOf = async (ws: string) => {
    const out = join(folder, `${ws}-${exports++}`);
    await exportWorkspace(client, registry(), config, { workspaceId: ws, outDir: out });
    return out;
  };

  beforeEach(async () => {
    ({ client, release } = await kind.open());
    folder = mkdtempSync(join(tmpdir(), 'ydtb-invoicing-'));
    await migrateDatabase(client, registry(), config);
    await seedCore(client);
    await seedCurrencies(client);
    for (const ws of WORKSPACES) await seedInvoicingRows(client, ws, `user_${ws}`);
  });

  afterEach(async () => {
    await release();
    rmSync(folder, { recursive: true, force: true });
  });

  it('should round-trip a workspace: serial and identity ids, a generated column, jsonb, enums, a tree of projects', async () => {
    const before = await exportOf('ws_a');
    const others = [checksums(await exportOf('ws_b')), checksums(await exportOf('ws_c'))];
    const rows = exportedRows(before);
    // Parents first, whatever their ids; the generated column is not in the file.
    const projects = rows.get('ydtb_invoicing_projects')!;
    expect(projects.rows.map((r) => r[projects.columns.indexOf('id')])).toEqual(['50', '40', '30']);
    expect(rows.get('ydtb_invoicing_time_entries')!.columns).not.toContain('search');
    expect(rows.has('ydtb_invoicing_currencies')).toBe(false);

    await eraseWorkspace(client, registry(), config, { workspaceId: 'ws_a' });
    await importWorkspace(client, registry(), config, { dir: before });

    expect(checksums(await exportOf('ws_a'))).toEqual(checksums(before));
    expect([checksums(await exportOf('ws_b')), checksums(await exportOf('ws_c'))]).toEqual(others);
    // The generated column was computed again; the serial and identity sequences moved past the ids.
    const found = await asWorkspace(client, 'ws_a', (tx) => tx.query(`SELECT description FROM ydtb_invoicing_time_entries WHERE search @@ to_tsquery('simple', 'landing')`));
    expect(found).toEqual([{ description: 'designed the landing page' }]);
    const fresh = await asWorkspace(client, 'ws_a', async (tx) => ({
      project: (await tx.query<{ id: number }>(`INSERT INTO ydtb_invoicing_projects (workspace_id, customer_id, name) SELECT workspace_id, id, 'new' FROM ydtb_invoicing_customers RETURNING id`))[0]!.id,
      tag: (await tx.query<{ id: number }>(`INSERT INTO ydtb_invoicing_tags (workspace_id, name) VALUES ('ws_a', 'new') RETURNING id`))[0]!.id,
    }));
    expect(fresh.project).toBeGreaterThan(50);
    expect(fresh.tag).toBeGreaterThan(3);
    expect(await driftOf(client, registry(), config, { probe: true })).toEqual([]);
  });

  it('should uninstall, migrate again and restore every workspace, global currencies included', async () => {
    const before = await Promise.all(WORKSPACES.map(async (ws) => checksums(await exportOf(ws))));
    const out = join(folder, 'invoicing');

    const result = await uninstallPackage(client, registry(), config, { packageName: '@ydtb/fixture-invoicing', exportDir: out });

    expect(result.dropped.types).toEqual(['ydtb_invoicing_status']);
    expect(result.tables.find((t) => t.table === 'ydtb_invoicing_currencies')).toEqual({ table: 'ydtb_invoicing_currencies', rows: 2 });
    expect(await client.query(`SELECT 1 FROM pg_class WHERE relname LIKE 'ydtb_invoicing_%'`)).toEqual([]);
    await migrateDatabase(client, registry(), config);
    await restorePackage(client, registry(), config, { dir: out });

    const after = [];
    for (const ws of WORKSPACES) after.push(checksums(await exportOf(ws)));
    expect(after).toEqual(before);
    expect(await client.query(`SELECT code FROM ydtb_invoicing_currencies ORDER BY code`)).toEqual([{ code: 'EUR' }, { code: 'JPY' }]);
    expect(await driftOf(client, registry(), config, { probe: true })).toEqual([]);
  });
});
