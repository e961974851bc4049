import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { resolvePackageRoot } from '../../../../../apps/core/src/lib/migrations/package-root.ts';
import { runCliCaptured } from '../run-cli-captured.ts';

const RENAMED = '--config packages/cli/src/cli/fixtures/renamed-crm-column-modules.ts';
const ADDED = '--config packages/cli/src/cli/fixtures/added-crm-column-modules.ts';
const ydtb = (args: string) => runCliCaptured(args.split(' ').filter(Boolean));
const crmMigrations = () => {
  const folder = join(resolvePackageRoot('@ydtb/crm'), 'migrations');
  return [...readdirSync(folder), ...readdirSync(join(folder, 'meta'))].sort();
};

describe('ydtb db generate', () => {
  describe('when asked for help', () => {
    it('should document the choices and the layout', async () => {
      const { code, out } = await ydtb('db generate --help');

      expect(code).toBe(0);
      expect(out).toContain('--rename <old>=<new>');
      expect(out).toContain('--drop <old>');
      expect(out).toContain('meta/NNNN_snapshot.json');
    });
  });

  describe('when a column was renamed in the schema and no choice is given', () => {
    it('should exit 2, list the rename and the drop with their flags, and write nothing', async () => {
      const before = crmMigrations();

      const { code, err } = await ydtb(`db generate @ydtb/crm ${RENAMED}`);

      expect(code).toBe(2);
      expect(err).toContain('column ydtb_crm_contacts.name is gone, and ydtb_crm_contacts has new: full_name');
      expect(err).toContain('--rename ydtb_crm_contacts.name=full_name   renames it: keeps its data');
      expect(err).toContain('--drop ydtb_crm_contacts.name               drops it with its data');
      expect(crmMigrations()).toEqual(before);
    });
  });

  describe('when a choice names nothing ambiguous', () => {
    it('should exit 2, say which flag and why, and write nothing', async () => {
      const before = crmMigrations();

      const { code, err } = await ydtb(`db generate @ydtb/crm ${RENAMED} --rename ydtb_crm_contacts.name=full_name --drop ydtb_crm_contacts.email`);

      expect(code).toBe(2);
      expect(err).toContain('--drop ydtb_crm_contacts.email: "ydtb_crm_contacts.email" is not an object that is gone while another is new');
      expect(crmMigrations()).toEqual(before);
    });
  });
});

describe('ydtb db check', () => {
  describe('when a pending schema change is ambiguous', () => {
    it('should exit 3 with the rename and drop flags instead of prompting', async () => {
      const { code, err } = await ydtb(`db check ${RENAMED}`);

      expect(code).toBe(3);
      expect(err).toContain('@ydtb/crm: no migration covers these schema changes');
      expect(err).toContain('--rename ydtb_crm_contacts.name=full_name');
    });
  });

  describe('when the schema moved on since the last migration present', () => {
    it('should exit 3 and say the changes are not covered', async () => {
      const { code, err } = await ydtb(`db check ${ADDED}`);

      expect(code).toBe(3);
      expect(err).toBe('@ydtb/crm: its Drizzle schema has 1 changes no migration covers. Run: ydtb db generate @ydtb/crm');
    });
  });
});
