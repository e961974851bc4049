import { Container } from 'inversify';
import { ENVIRONMENT_CONTRIBUTION, PACKAGE_SCHEMA } from '@ydtb/plugin-api';
import { getTableConfig, PgTable } from 'drizzle-orm/pg-core';
import { is } from 'drizzle-orm';
import { basicModule, basicSchema, PACKAGE_NAME } from './index';

describe('basicModule', () => {
  describe('when loaded into a bare container', () => {
    const container = new Container();
    container.load(basicModule);

    it('should contribute its schema registration', () => {
      const registration = container.get(PACKAGE_SCHEMA);

      expect(registration).toMatchObject({ packageName: PACKAGE_NAME, version: '1.0.0' });
      expect(registration.schema).toBe(basicSchema);
    });

    it('should carry its checked-in 0001_init migration', () => {
      const registration = container.get(PACKAGE_SCHEMA);

      expect(registration.migrations?.map((migration) => migration.id)).toEqual(['0001_init']);
      const [init] = registration.migrations ?? [];
      expect(init && 'sql' in init ? init.sql : '').toContain('CREATE TABLE "ydtb_basic_notes"');
    });

    it('should contribute its environment variables', () => {
      const environment = container.get(ENVIRONMENT_CONTRIBUTION);

      expect(Object.keys(environment.server ?? {})).toEqual(['BASIC_NOTES_PAGE_SIZE']);
      expect(Object.keys(environment.client ?? {})).toEqual(['YDTB_PUBLIC_BASIC_NOTES_ENABLED']);
    });
  });

  describe('schema', () => {
    it('should give every table a workspace_id column that references ydtb_workspaces', () => {
      const tables = Object.values(basicSchema).filter((value) => is(value, PgTable));

      expect(tables.length).toBe(2);
      for (const table of tables) {
        const references = getTableConfig(table).foreignKeys.map((fk) => fk.reference());
        expect(references.some((ref) => getTableConfig(ref.foreignTable).name === 'ydtb_workspaces')).toBe(true);
      }
    });
  });
});
