import { type AnyPgColumn, pgTable, text } from 'drizzle-orm/pg-core';
import { basicModule } from '@ydtb/basic';
import { createContainer } from '../../../../../apps/core/src/lib/registry/container.ts';
import { DatabaseRegistry } from '../../../../../apps/core/src/lib/registry/database.ts';
import type { RegisteredPackage } from '../../../../../apps/core/src/types/database-registry.ts';
import { erModel } from './er-model.ts';
import { layoutPackage, textWidth, type Box, type PackageLayout } from './er-layout.ts';
import { registeredPackage } from './test-packages.ts';

/** Lays out the last of `packages`, with anchors (`table-<n>`) and owners as the page gives them. */
function layoutLast(packages: readonly RegisteredPackage[]): PackageLayout & { anchors: ReadonlyMap<string, string> } {
  const model = erModel(packages);
  const anchors = new Map<string, string>();
  const owners = new Map<string, string>();
  for (const pkg of model.packages) {
    for (const table of pkg.tables) {
      anchors.set(table.name, `table-${anchors.size + 1}`);
      owners.set(table.name, pkg.packageName);
    }
  }
  return { ...layoutPackage(model, model.packages.length - 1, anchors, owners), anchors };
}

function box(layout: PackageLayout, name: string): Box {
  const found = layout.boxes.filter((b) => b.name === name);
  expect(found).toHaveLength(1);
  return found[0]!;
}

const overlap = (a: Box, b: Box): boolean =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

describe('layoutPackage', () => {
  describe('when @ydtb/basic references core and its own tables', () => {
    const layout = layoutLast(createContainer([basicModule]).get(DatabaseRegistry).all());

    it("should draw core's table once, as a reference box in the first column linking to its picture", () => {
      const workspaces = box(layout, 'ydtb_workspaces');

      expect(workspaces).toMatchObject({ kind: 'reference', packageName: '@ydtb/core', anchor: layout.anchors.get('ydtb_workspaces') });
      expect(layout.anchors.get('ydtb_workspaces')).toMatch(/^table-\d+$/);
      expect(workspaces.x).toBe(Math.min(...layout.boxes.map((b) => b.x)));
    });

    it('should place each table right of the tables it references', () => {
      const notes = box(layout, 'ydtb_basic_notes');
      const tags = box(layout, 'ydtb_basic_note_tags');

      expect(notes.kind).toBe('table');
      expect(box(layout, 'ydtb_workspaces').x + box(layout, 'ydtb_workspaces').width).toBeLessThan(notes.x);
      expect(notes.x + notes.width).toBeLessThan(tags.x);
    });

    it('should draw a line a foreign key, from the parent box to the child box', () => {
      expect(layout.lines.map((l) => `${l.relationship.parent} -> ${l.relationship.child}`).sort()).toEqual([
        'ydtb_basic_notes -> ydtb_basic_note_tags',
        'ydtb_workspaces -> ydtb_basic_note_tags',
        'ydtb_workspaces -> ydtb_basic_notes',
      ]);
      const notes = box(layout, 'ydtb_basic_notes');
      const tags = box(layout, 'ydtb_basic_note_tags');
      const line = layout.lines.find((l) => l.relationship.parent === 'ydtb_basic_notes')!;
      expect(line.path.startsWith(`M${notes.x + notes.width} `)).toBe(true);
      expect(line.path.split(' ').at(-2)!.endsWith(String(tags.x))).toBe(true);
    });

    it('should keep boxes apart, inside the picture, and wide enough for their text', () => {
      for (const a of layout.boxes) {
        expect(a.x + a.width).toBeLessThanOrEqual(layout.width);
        expect(a.y + a.height).toBeLessThanOrEqual(layout.height);
        expect(a.width).toBeGreaterThanOrEqual(textWidth(a.name));
        for (const b of layout.boxes) if (a !== b) expect(overlap(a, b)).toBe(false);
      }
    });
  });

  describe('when tables reference themselves and each other in a cycle', () => {
    const tree: ReturnType<typeof treeTable> = treeTable();
    function treeTable() {
      return pgTable('ydtb_tree', { id: text('id').primaryKey(), parentId: text('parent_id').references((): AnyPgColumn => tree.id) });
    }
    const a = pgTable('ydtb_a', { id: text('id').primaryKey(), bId: text('b_id').references((): AnyPgColumn => b.id) });
    const b = pgTable('ydtb_b', { id: text('id').primaryKey(), aId: text('a_id').references((): AnyPgColumn => a.id) });
    const layout = layoutLast([registeredPackage('@test/cycles', '1.0.0', { tree, a, b })]);

    it('should still place every table once, without overlap', () => {
      expect(layout.boxes.map((x) => x.name).sort()).toEqual(['ydtb_a', 'ydtb_b', 'ydtb_tree']);
      for (const x of layout.boxes) for (const y of layout.boxes) if (x !== y) expect(overlap(x, y)).toBe(false);
    });

    it('should loop the self reference out of the right side and back in', () => {
      const self = layout.lines.find((l) => l.relationship.parent === 'ydtb_tree')!;
      const treeBox = box(layout, 'ydtb_tree');

      expect(self.path.startsWith(`M${treeBox.x + treeBox.width} `)).toBe(true);
      expect(self.path.split(' ').at(-2)!.endsWith(String(treeBox.x + treeBox.width))).toBe(true);
    });
  });

  describe('when a table name uses a wide script', () => {
    it('should count its characters twice', () => {
      expect(textWidth('表')).toBe(2 * textWidth('a'));
    });
  });
});
