import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Snapshot } from './snapshot.ts';
import { tableChangingStatements } from '@ydtb/core/tooling';

/** drizzle-kit's `meta/_journal.json`: the migrations in order, so drizzle's own tooling reads the folder. */
export interface Journal {
  readonly version: string;
  readonly dialect: 'postgresql';
  readonly entries: readonly JournalEntry[];
}

export interface JournalEntry {
  readonly idx: number;
  readonly version: string;
  readonly when: number;
  readonly tag: string;
  readonly breakpoints: boolean;
}

/** One `NNNN_<name>.sql` file of the folder. */
export interface SqlFile {
  readonly sequence: number;
  /** The file name without `.sql`: drizzle-kit's tag. */
  readonly id: string;
}

const UP_FILE = /^(\d{4})_[a-z0-9_]+\.sql$/;
const DOWN_FILE = /^(\d{4}_[a-z0-9_]+)\.down\.sql$/;
/** drizzle-kit's snapshot format version for PostgreSQL. */
export const SNAPSHOT_VERSION = '7';

/**
 * A package's `migrations/` folder in drizzle-kit's layout: `NNNN_<name>.sql`, and in `meta/`
 * `NNNN_snapshot.json` (the schema as of that migration) and `_journal.json`. The SQL files are
 * the truth: a snapshot or journal entry without its SQL file is ignored and replaced.
 */
export class MigrationFolder {
  readonly sqlFiles: readonly SqlFile[];

  constructor(
    readonly packageName: string,
    readonly path: string,
  ) {
    this.sqlFiles = existsSync(path)
      ? readdirSync(path)
          .flatMap((file) => {
            const sequence = UP_FILE.exec(file)?.[1];
            return sequence === undefined ? [] : [{ sequence: Number(sequence), id: file.slice(0, -'.sql'.length) }];
          })
          .sort((a, b) => a.sequence - b.sequence)
      : [];
  }

  /** The migration with the highest number, whose snapshot the next one is diffed against. */
  get latest(): SqlFile | undefined {
    return this.sqlFiles.at(-1);
  }

  snapshotFile(sequence: number): string {
    return join(this.path, 'meta', `${String(sequence).padStart(4, '0')}_snapshot.json`);
  }

  get journalFile(): string {
    return join(this.path, 'meta', '_journal.json');
  }

  /**
   * The snapshot the next migration is diffed against: the latest migration's. A migration that
   * changes no table (hand-written functions, triggers, comments, rows) may have none: the one
   * before it is read instead. Undefined when no migration has a snapshot and none changes a table.
   */
  async latestSnapshot(): Promise<Snapshot | undefined> {
    for (const file of [...this.sqlFiles].reverse()) {
      const snapshot = this.snapshotFile(file.sequence);
      if (existsSync(snapshot)) return this.readSnapshot(snapshot);
      // Diffing migrations against an older snapshot would emit again what they already created.
      const changes = await tableChangingStatements(readFileSync(join(this.path, `${file.id}.sql`), 'utf8'));
      if (changes.length > 0) {
        const [first] = changes;
        throw new Error(
          `${this.packageName}: ${file.id}.sql changes tables (line ${first!.line}: ${first!.shown}) but has no ${snapshot}, so what it created cannot be told. ` +
            `Restore that snapshot (from version control), or move the table changes into a migration ydtb db generate ${this.packageName} writes: ` +
            'only a migration that adds nothing but functions, triggers, comments or rows may go without one.',
        );
      }
    }
    return undefined;
  }

  /** The migration whose snapshot `latestSnapshot` reads, if any has one. */
  get latestWithSnapshot(): SqlFile | undefined {
    return [...this.sqlFiles].reverse().find((file) => existsSync(this.snapshotFile(file.sequence)));
  }

  private readSnapshot(file: string): Snapshot {
    try {
      return JSON.parse(readFileSync(file, 'utf8')) as Snapshot;
    } catch (error) {
      throw new Error(`${this.packageName}: ${file} is not valid JSON.`, { cause: error });
    }
  }

  /** The journal listing every SQL file present plus `next`, keeping the times recorded for the others. */
  journalWith(next: SqlFile, when: number): Journal {
    const recorded = new Map(this.readJournal().map((entry) => [entry.tag, entry]));
    const entries = [...this.sqlFiles, next].map(({ id }, idx) => ({
      idx,
      version: SNAPSHOT_VERSION,
      when: id === next.id ? when : (recorded.get(id)?.when ?? when),
      tag: id,
      breakpoints: true,
    }));
    return { version: SNAPSHOT_VERSION, dialect: 'postgresql', entries };
  }

  /** Snapshots numbered above `sequence`: left by migrations whose SQL file was removed. */
  orphanSnapshotsAbove(sequence: number): string[] {
    const meta = join(this.path, 'meta');
    if (!existsSync(meta)) return [];
    return readdirSync(meta)
      .filter((file) => /^\d{4}_snapshot\.json$/.test(file) && Number(file.slice(0, 4)) > sequence)
      .map((file) => join(meta, file));
  }

  /** `NNNN_<name>.down.sql` files without their up file: left by migrations whose SQL file was removed. */
  orphanDownFiles(): string[] {
    if (!existsSync(this.path)) return [];
    const ups = new Set(this.sqlFiles.map((file) => file.id));
    return readdirSync(this.path)
      .filter((file) => {
        const id = DOWN_FILE.exec(file)?.[1];
        return id !== undefined && !ups.has(id);
      })
      .map((file) => join(this.path, file));
  }

  private readJournal(): readonly JournalEntry[] {
    if (!existsSync(this.journalFile)) return [];
    try {
      return (JSON.parse(readFileSync(this.journalFile, 'utf8')) as Journal).entries ?? [];
    } catch {
      // A broken journal is rebuilt from the SQL files, which are the truth.
      return [];
    }
  }
}
