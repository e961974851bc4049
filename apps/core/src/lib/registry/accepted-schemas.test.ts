import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { generateDrizzleJson, generateMigration } from 'drizzle-kit/api';
import { getTableConfig } from 'drizzle-orm/pg-core';
import { basicModule } from '@ydtb/basic';
import { crmModule } from '@ydtb/crm';
import { definePackage } from '@ydtb/plugin-api';
import { closeTemplatePglite, databaseKinds, type OpenedTestClient } from '../../../../../test/test-databases.ts';
import { thrownBy } from '../../../../../test/thrown.ts';
import { createContainer } from './container.ts';
import { DatabaseRegistry } from './database.ts';
import { SchemaValidationError } from './schema-validation-error.ts';
import { billingRegistration } from './fixtures/billing-module.ts';
import * as billingSchema from './fixtures/billing-schema.ts';
import { orderStatus, ticketStatus } from './fixtures/rejected-schemas.ts';
import { registrationOf } from './test-tables.ts';

/** The SQL drizzle-kit generates for a schema module from nothing, as `ydtb db generate` writes it. */
async function createSql(schema: Record<string, unknown>): Promise<string> {
  const empty = generateDrizzleJson({});
  return (await generateMigration(empty, generateDrizzleJson(schema, empty.id))).join('\n');
}

const coreSql = readFileSync(new URL('../../../migrations/0001_init.sql', import.meta.url), 'utf8').replaceAll('--> statement-breakpoint', '');

describe('registering real packages', () => {
  describe('when core, @ydtb/basic, @ydtb/crm and a realistic billing package are installed', () => {
    it('should accept every one of them without an error or a warning', () => {
      const registry = createContainer([basicModule, crmModule, definePackage({ database: billingRegistration })]).get(DatabaseRegistry);

      expect(registry.all().map((p) => [p.registration.packageName, p.warnings])).toEqual([
        ['@ydtb/core', []],
        ['@ydtb/basic', []],
        ['@fixtures/billing', []],
        ['@ydtb/crm', []],
      ]);
    });
  });

  describe('when two packages declare pgEnum(\'status\')', () => {
    it('should reject the second at registration, naming the prefix and the collision', () => {
      const container = createContainer([
        definePackage({ database: registrationOf({ ticketStatus }, { packageName: '@test/tickets' }) }),
        definePackage({ database: registrationOf({ orderStatus }, { packageName: '@test/orders' }) }),
      ]);

      const error = thrownBy(() => container.get(DatabaseRegistry), SchemaValidationError);

      expect(error.violations.map((v) => `${v.packageName} ${v.rule}: ${v.message}`)).toEqual([
        '@test/tickets ydtb/table-prefix: Enum type "status" does not start with "ydtb_".',
        '@test/orders ydtb/table-prefix: Enum type "status" does not start with "ydtb_".',
        '@test/orders ydtb/identifiers: The enum type name "status" is already used by package @test/tickets.',
      ]);
    });
  });
});

describe.each(databaseKinds)('schemas the rules accept, migrated on $name', (kind) => {
  let db: OpenedTestClient;

  beforeAll(async () => {
    db = await kind.open();
    await db.client.exec(coreSql);
  });

  afterAll(async () => {
    await db.release();
    await closeTemplatePglite();
  });

  it('should create the billing package as generated, long names kept whole', async () => {
    await db.client.exec(await createSql(billingSchema));

    const constraints = await db.client.query<{ conname: string }>(
      `SELECT conname FROM pg_constraint WHERE conrelid = 'ydtb_billing_invoice_line_item_adjustments'::regclass AND contype IN ('p', 'f')`,
    );
    const config = getTableConfig(billingSchema.lineItemAdjustments);
    const declared = [...config.foreignKeys.map((fk) => fk.getName()), ...config.primaryKeys.map((pk) => pk.getName())];
    expect(constraints.map((c) => c.conname).sort()).toEqual(declared.sort());
    for (const name of declared) expect(name).toMatch(/^ydtb_billing_invoice_line_item_adjustments_workspac_[0-9a-f]{8}_(fk|pk)$/);
  });

  it('should fail at migrate on what the rules reject: a second enum type "status"', async () => {
    await db.client.exec(await createSql({ ticketStatus }));

    await expect(db.client.exec(await createSql({ orderStatus }))).rejects.toThrow(/type "status" already exists/);
  });
});
