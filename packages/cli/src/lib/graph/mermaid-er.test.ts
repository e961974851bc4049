import { pgTable, text as textColumn } from 'drizzle-orm/pg-core';
import { basicModule } from '@ydtb/basic';
import { createContainer } from '../../../../../apps/core/src/lib/registry/container.ts';
import { DatabaseRegistry } from '../../../../../apps/core/src/lib/registry/database.ts';
import type { RegisteredPackage } from '../../../../../apps/core/src/types/database-registry.ts';
import { toMermaidEr } from './mermaid-er.ts';
import { awkwardPackage, registeredPackage } from './test-packages.ts';

/** The lines of one package's group: from its `%% package` comment to the next comment. */
function packageBlock(text: string, packageName: string): string[] {
  const lines = text.split('\n');
  const start = lines.indexOf(`  %% package ${packageName}`);
  const end = lines.findIndex((line, i) => i > start && line.startsWith('  %%'));
  return start < 0 ? [] : lines.slice(start, end < 0 ? undefined : end);
}

describe('toMermaidEr', () => {
  describe('when drawing core and @ydtb/basic', () => {
    const registry = createContainer([basicModule]).get(DatabaseRegistry);
    const packages: RegisteredPackage[] = [registry.core, ...registry.list()];
    const text = toMermaidEr(packages);
    const tableNames = packages.flatMap((p) => p.tables.map((t) => t.config.name));

    it('should declare every registered table once, with its columns', () => {
      expect(text.startsWith('erDiagram\n')).toBe(true);
      expect(tableNames).toEqual(expect.arrayContaining(['ydtb_workspaces', 'ydtb_basic_notes', 'ydtb_basic_note_tags']));
      for (const name of tableNames) expect(text.split('\n').filter((line) => line.trim() === `${name} {`)).toHaveLength(1);
      expect(text).toContain('    ydtb_basic_notes {\n      uuid id PK\n      text workspace_id PK, FK\n      text title\n');
      expect(text).toContain('      `timestamp with time zone` created_at\n');
    });

    it('should relate every package table to ydtb_workspaces, labelled with its workspace_id column', () => {
      expect(text).toContain('  ydtb_workspaces ||--o{ ydtb_basic_notes : "workspace_id"\n');
      expect(text).toContain('  ydtb_workspaces ||--o{ ydtb_basic_note_tags : "workspace_id"\n');
      expect(text).toContain('  ydtb_workspaces ||--o{ ydtb_workspace_members : "workspace_id"\n');
    });

    it("should relate basic's tags to its notes by the composite foreign key", () => {
      expect(text).toContain('  ydtb_basic_notes ||--o{ ydtb_basic_note_tags : "workspace_id, note_id"\n');
    });

    it('should group the tables per package, in the order given', () => {
      const core = packageBlock(text, '@ydtb/core');
      const basic = packageBlock(text, '@ydtb/basic');

      expect(text.indexOf('%% package @ydtb/core')).toBeLessThan(text.indexOf('%% package @ydtb/basic'));
      expect(core[1]).toBe('  subgraph pkg_ydtb_core["@ydtb/core 0.1.0"]');
      expect(core).toContain('    ydtb_workspaces {');
      expect(basic[1]).toBe('  subgraph pkg_ydtb_basic["@ydtb/basic 1.0.0"]');
      expect(basic).toEqual(expect.arrayContaining(['    ydtb_basic_notes {', '    ydtb_basic_note_tags {']));
      expect(basic).not.toContain('    ydtb_workspaces {');
      expect(basic.at(-1)).toBe('  end');
    });

    it('should give the same text whatever order the schema exported its tables in', () => {
      const shuffled = packages.map((p) => ({ ...p, tables: [...p.tables].reverse() }));

      expect(toMermaidEr(shuffled)).toBe(text);
    });
  });

  describe('when names are not plain words', () => {
    const registry = createContainer([basicModule]).get(DatabaseRegistry);
    const text = toMermaidEr([registry.core, ...registry.list(), awkwardPackage()]);

    it('should quote table names with spaces, dots or keywords', () => {
      expect(text).toContain('    "ydtb odd table" {');
      expect(text).toContain('    "crm.contacts" {');
      expect(text).toContain('    "end" {');
    });

    it('should replace what cannot stay even in quotes, and break up "direction LR"', () => {
      expect(text).toContain(`    "ydtb 'x' 5' direction_LR" {\n      text \`pk-ref\` FK\n    }`);
    });

    it('should backtick column names and types Mermaid would misread', () => {
      expect(text).toContain('      text `pk` PK\n');
      expect(text).toContain('      uuid `note id` FK "nullable"\n');
      expect(text).toContain('      `timestamp with time zone` `seen at` "nullable"\n');
    });

    it('should draw cross-package and optional relationships', () => {
      expect(text).toContain('  ydtb_basic_notes |o..o{ "ydtb odd table" : "workspace_id, note id"\n');
      expect(text).toContain('  "end" |o..o{ "ydtb odd table" : "end_id"\n');
      expect(text).toContain('  ydtb_workspaces ||..o{ "crm.contacts" : "workspace_id"\n');
    });
  });

  describe('when two table names read back the same in Mermaid', () => {
    it('should keep them apart with a suffix', () => {
      const clash = registeredPackage('@test/clash', '1.0.0', {
        a: pgTable('ydtb x"y', { id: textColumn('id') }),
        b: pgTable('ydtb x%y', { id: textColumn('id') }),
      });

      const diagram = toMermaidEr([clash]);

      expect(diagram).toContain(`    "ydtb x'y" {`);
      expect(diagram).toContain(`    "ydtb x'y_2" {`);
    });
  });
});
