import { integer, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { workspaces, ydtbTable } from '@ydtb/plugin-api';
import { basicSchema } from '@ydtb/basic';
import { defaultRegistryConfig } from '../registry-config.ts';
import { runRule } from '../rule-harness.ts';
import { registrationOf } from '../test-tables.ts';
import { billingRegistration } from '../fixtures/billing-module.ts';
import { DistributionReadyRule } from './distribution-ready.ts';

const rule = new DistributionReadyRule(defaultRegistryConfig);
const workspaceId = () => text('workspace_id').notNull().references(() => workspaces.id);

const events = ydtbTable('demo_events', { workspaceId: workspaceId(), name: text('name').notNull() });
const counters = ydtbTable(
  'demo_counters',
  { id: integer('id').generatedAlwaysAsIdentity(), workspaceId: workspaceId(), label: text('label') },
  (t) => [primaryKey({ columns: [t.workspaceId, t.id] })],
);

describe('DistributionReadyRule', () => {
  describe('when workspace tables have primary keys and bigint identities', () => {
    it('should accept @ydtb/basic and a schema with bigint identity, serial ids and a global table', () => {
      expect(runRule(rule, registrationOf(basicSchema))).toEqual([]);
      expect(runRule(rule, billingRegistration)).toEqual([]);
    });
  });

  describe('when they do not', () => {
    it('should report a table without primary key and an integer identity column', () => {
      expect(runRule(rule, registrationOf({ events, counters })).map((v) => v.message)).toEqual([
        'Table "ydtb_demo_events" has no primary key.',
        'Column "ydtb_demo_counters.id" is an identity column of type integer; Citus supports only bigint identity columns on distributed tables.',
      ]);
    });

    it('should leave keys without workspace_id to ydtb/workspace-keys', () => {
      const loose = ydtbTable('demo_loose_keys', { id: uuid('id').primaryKey(), workspaceId: workspaceId() });

      expect(runRule(rule, registrationOf({ loose }))).toEqual([]);
    });

    it('should warn by default and fail when configured as an error', () => {
      const strict = new DistributionReadyRule({ ...defaultRegistryConfig, distributionReadiness: 'error' });

      expect(runRule(rule, registrationOf({ events }))[0]?.severity).toBe('warning');
      expect(runRule(strict, registrationOf({ events }))[0]?.severity).toBe('error');
    });
  });
});
