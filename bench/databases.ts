import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';

/**
 * Fresh in-memory PGlite databases, made outside every timed region. Starting PGlite cold
 * (`PGlite.create()`) takes 3–9 s on a small machine, so by default each one is a `clone()` of
 * one untouched `PGlite.create()` template (about 1.5 s): the same empty cluster, byte for byte,
 * on a new engine instance. `--no-clone` starts every one with `PGlite.create()` instead.
 */
export class FreshDatabases {
  #template: Promise<PGlite> | undefined;
  readonly #open = new Set<PGlite>();

  constructor(private readonly clone: boolean) {}

  async fresh(): Promise<PGlite> {
    let pg: PGlite;
    if (this.clone) {
      this.#template ??= PGlite.create();
      // clone() is typed as the interface; it is a PGlite, as in test/test-databases.ts.
      pg = (await (await this.#template).clone()) as PGlite;
    } else {
      pg = await PGlite.create();
    }
    this.#open.add(pg);
    return pg;
  }

  async close(pg: PGlite): Promise<void> {
    this.#open.delete(pg);
    if (!pg.closed) await pg.close();
  }

  /** Closes every instance still open and the template, so the process can exit. */
  async closeAll(): Promise<void> {
    for (const pg of [...this.#open]) await this.close(pg);
    const template = await this.#template?.catch(() => undefined);
    this.#template = undefined;
    if (template && !template.closed) await template.close();
  }
}

export interface Migration {
  readonly tag: string;
  readonly sql: string;
}

/**
 * A drizzle-kit migrations folder (`meta/_journal.json` and one `<tag>.sql` a migration) in a
 * temporary directory, for drizzle-orm's own migrator. Remove it with `rm()`.
 */
export function drizzleMigrationsFolder(migrations: readonly Migration[]): { folder: string; rm(): void } {
  const folder = mkdtempSync(join(tmpdir(), 'ydtb-bench-drizzle-'));
  mkdirSync(join(folder, 'meta'));
  const when = Date.UTC(2025, 0, 1);
  const entries = migrations.map((m, idx) => ({ idx, version: '7', when: when + idx * 1000, tag: m.tag, breakpoints: true }));
  writeFileSync(join(folder, 'meta', '_journal.json'), JSON.stringify({ version: '7', dialect: 'postgresql', entries }, null, 2));
  // drizzle's migrator sends each breakpoint-separated chunk as one prepared statement; drizzle-kit output has one statement a chunk.
  for (const m of migrations) writeFileSync(join(folder, `${m.tag}.sql`), m.sql);
  return { folder, rm: () => rmSync(folder, { recursive: true, force: true }) };
}
