import { foreignKey, primaryKey, text, unique, uuid } from 'drizzle-orm/pg-core';
import { workspaces, ydtbTable } from '@ydtb/plugin-api';
import { basicSchema } from '@ydtb/basic';
import { defaultRegistryConfig } from '../registry-config';
import { runRule } from '../rule-harness';
import { registrationOf } from '../test-tables';
import { DistributionReadyRule } from './distribution-ready';

const rule = new DistributionReadyRule(defaultRegistryConfig);
const workspaceId = () => text('workspace_id').notNull().references(() => workspaces.id);

const parents = ydtbTable('demo_parents', { id: uuid('id').primaryKey(), workspaceId: workspaceId(), slug: text('slug').notNull().unique() });
const children = ydtbTable(
  'demo_children',
  { id: uuid('id').notNull(), workspaceId: workspaceId(), parentId: uuid('parent_id').notNull(), code: text('code') },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    unique('ydtb_demo_children_code_key').on(t.workspaceId, t.code),
    foreignKey({ name: 'ydtb_demo_children_parent_fk', columns: [t.parentId], foreignColumns: [parents.id] }),
  ],
);

describe('DistributionReadyRule', () => {
  describe('when keys include workspace_id', () => {
    it('should accept @ydtb/basic', () => {
      expect(runRule(rule, registrationOf(basicSchema))).toEqual([]);
    });
  });

  describe('when they do not', () => {
    it('should report the primary key, the unique constraint and the foreign key', () => {
      expect(runRule(rule, registrationOf({ parents, children })).map((v) => v.message)).toEqual([
        'The primary key ydtb_demo_parents_pkey (id) of "ydtb_demo_parents" does not include workspace_id.',
        'The unique constraint ydtb_demo_parents_slug_unique (slug) of "ydtb_demo_parents" does not include workspace_id.',
        'The foreign key ydtb_demo_children_parent_fk from "ydtb_demo_children" to "ydtb_demo_parents" does not carry workspace_id on both sides, so a row could point into another workspace.',
      ]);
    });

    it('should warn by default and fail when configured as an error', () => {
      const strict = new DistributionReadyRule({ ...defaultRegistryConfig, distributionReadiness: 'error' });

      expect(runRule(rule, registrationOf({ parents }))[0]?.severity).toBe('warning');
      expect(runRule(strict, registrationOf({ parents }))[0]?.severity).toBe('error');
    });
  });
});
