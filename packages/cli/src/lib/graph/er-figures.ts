import type { RegisteredPackage } from '@ydtb/core/tooling';
import { erModel } from './er-model.ts';
import { layoutPackage } from './er-layout.ts';
import { packageSvg } from './er-svg.ts';

/** One package's part of the page: what it registered, and its picture or why there is none. */
export interface PackageFigure {
  readonly packageName: string;
  readonly version: string;
  /** Its tables' names, sorted: the page's index and the count its picture must show. */
  readonly tables: readonly string[];
  /** Each table's anchor in the page, by name. */
  readonly anchors: ReadonlyMap<string, string>;
  /** The picture, or undefined for a package without tables. */
  readonly svg: string | undefined;
}

/**
 * The pictures of the given packages (core first: `registry.all()`), one a package: a package
 * of any size is drawn on its own, and every table has an anchor (`table-<n>`) that the boxes
 * of the packages referencing it link to.
 */
export function erFigures(packages: readonly RegisteredPackage[]): PackageFigure[] {
  const model = erModel(packages);
  const anchors = new Map<string, string>();
  const owners = new Map<string, string>();
  for (const pkg of model.packages) {
    for (const table of pkg.tables) {
      if (!anchors.has(table.name)) anchors.set(table.name, `table-${anchors.size + 1}`);
      if (!owners.has(table.name)) owners.set(table.name, pkg.packageName);
    }
  }
  return model.packages.map((pkg, index) => {
    const tables = pkg.tables.map((t) => t.name);
    const own = new Map(tables.map((name) => [name, anchors.get(name)!]));
    const svg =
      tables.length === 0 ? undefined : packageSvg(layoutPackage(model, index, anchors, owners), `Tables of ${pkg.packageName} ${pkg.version}`);
    return { packageName: pkg.packageName, version: pkg.version, tables, anchors: own, svg };
  });
}
