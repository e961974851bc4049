import { integer, primaryKey, text, unique } from 'drizzle-orm/pg-core';
import { workspaces, ydtbTable } from '@ydtb/plugin-api';
import { keysRegistration } from '../../isolation/fixtures/keys-package.ts';
import { defaultRegistryConfig } from '../registry-config.ts';
import { runRule } from '../rule-harness.ts';
import { registrationOf } from '../test-tables.ts';
import { checkRegistrationShape } from '../registration-shape.ts';
import { WorkspaceLookupsRule } from './workspace-lookups.ts';

const rule = new WorkspaceLookupsRule(defaultRegistryConfig);

const tokens = ydtbTable(
  'demo_tokens',
  {
    id: text('id').notNull(),
    workspaceId: text('workspace_id').notNull().references(() => workspaces.id, { onDelete: 'cascade' }),
    tokenHash: text('token_hash').notNull(),
    label: text('label').notNull(),
    domain: text('domain').notNull().unique('ydtb_demo_tokens_domain_key'),
    seq: integer('seq').notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.id] }), unique('ydtb_demo_tokens_hash_key').on(t.workspaceId, t.tokenHash)],
);
const currencies = ydtbTable('demo_currencies', { code: text('code').primaryKey() });

const lookupsOf = (workspaceLookups: NonNullable<Parameters<typeof registrationOf>[1]>['workspaceLookups']) =>
  runRule(rule, registrationOf({ tokens, currencies }, { globalTables: { ydtb_demo_currencies: 'ISO codes' }, workspaceLookups }));

describe('WorkspaceLookupsRule', () => {
  describe('when each lookup reads a unique key column of a workspace table of the package', () => {
    it('should accept a key unique per workspace, and one unique on its own when declared global', () => {
      expect(runRule(rule, keysRegistration)).toEqual([]);
      expect(lookupsOf({ token: { table: 'ydtb_demo_tokens', column: 'token_hash' }, domain: { table: 'ydtb_demo_tokens', column: 'domain', unique: 'global' } })).toEqual([]);
    });
  });

  describe('when a lookup is not what the pipeline can make safe', () => {
    it.each([
      ['another package\'s table', { table: 'ydtb_other_tokens', column: 'token_hash' }, 'Workspace lookup "key" reads table "ydtb_other_tokens", which is not a table of this package.'],
      ['a global table', { table: 'ydtb_demo_currencies', column: 'code' }, 'Workspace lookup "key" reads "ydtb_demo_currencies", a global table: it holds no workspace to find.'],
      ['a missing column', { table: 'ydtb_demo_tokens', column: 'tokenHash' }, 'Workspace lookup "key" reads column "ydtb_demo_tokens.tokenHash", which does not exist (give the column\'s SQL name).'],
      ['the workspace column', { table: 'ydtb_demo_tokens', column: 'workspace_id' }, 'Workspace lookup "key" reads "ydtb_demo_tokens.workspace_id", the workspace column itself.'],
      ['an integer column', { table: 'ydtb_demo_tokens', column: 'seq' }, 'Workspace lookup "key" reads "ydtb_demo_tokens.seq", which is integer: a lookup matches text keys exactly, so the column must be text or varchar.'],
      ['a column that is no key', { table: 'ydtb_demo_tokens', column: 'label' }, 'Workspace lookup "key" reads "ydtb_demo_tokens.label", which has no unique key on (workspace_id, label): one key could match many rows.'],
      ['a per-workspace key declared global', { table: 'ydtb_demo_tokens', column: 'token_hash', unique: 'global' as const }, 'Workspace lookup "key" reads "ydtb_demo_tokens.token_hash", which has no unique key on (token_hash): one key could match many rows.'],
    ])('should reject %s, naming the lookup', (_what, lookup, message) => {
      expect(lookupsOf({ key: lookup })).toEqual([
        { rule: 'ydtb/workspace-lookups', severity: 'error', packageName: '@test/demo', table: lookup.table, column: lookup.column, message, hint: rule.hint },
      ]);
    });
  });

  describe('when the declaration itself is malformed', () => {
    it.each([
      ['a name that is no identifier', { 'API-Key': { table: 'ydtb_keys_api_keys', column: 'key_hash' } }, '"workspaceLookups.API-Key"'],
      ['an unknown uniqueness', { api_key: { table: 'ydtb_keys_api_keys', column: 'key_hash', unique: 'none' } }, '"workspaceLookups.api_key.unique"'],
      ['a missing column', { api_key: { table: 'ydtb_keys_api_keys' } }, '"workspaceLookups.api_key.column"'],
    ])('should refuse %s in the registration shape', (_what, workspaceLookups, path) => {
      const checked = checkRegistrationShape({ ...keysRegistration, workspaceLookups });
      expect(checked.ok).toBe(false);
      expect(checked.ok ? [] : checked.violations.map((v) => v.message)).toEqual([expect.stringContaining(path)]);
    });
  });
});
