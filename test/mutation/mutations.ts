/*
 * Hand-written mutations of the code isolation and migrations rest on: each is one small bug a
 * person could plausibly write, put into one file, and the test files that exist to catch it.
 * `bun run mutate` applies them one at a time (and puts the file back), runs those tests, and
 * counts the mutation killed when they fail. docs/testing.md explains the score and survivors.
 */

export interface Mutation {
  /** Short stable id, for --only. */
  readonly id: string;
  readonly area: 'rules' | 'migration plan' | 'withWorkspace' | 'isolation probe' | 'export manifest';
  /** The bug, in a few words. */
  readonly bug: string;
  readonly file: string;
  /** Text that occurs exactly once in the file, and what it becomes. */
  readonly find: string;
  readonly replace: string;
  /** Test files run against the mutant, and optionally a test-name pattern (jest -t). */
  readonly tests: readonly string[];
  readonly testNamePattern?: string;
}

const RULES = 'apps/core/src/lib/registry/rules';
const MIGRATIONS = 'apps/core/src/lib/migrations';
const ISOLATION = 'apps/core/src/lib/isolation';
const TENANCY = 'apps/core/src/lib/tenancy';

export const MUTATIONS: readonly Mutation[] = [
  // ydtb/workspace-keys, ydtb/workspace-fk, ydtb/identifiers, ydtb/table-prefix
  {
    id: 'keys-fk-local-side',
    area: 'rules',
    bug: 'workspace-keys checks only the local side of a foreign key',
    file: `${RULES}/workspace-keys.ts`,
    find: '.filter((fk) => !fk.columns.some((c, i) => c === column && fk.foreignColumns[i] === column))',
    replace: '.filter((fk) => !fk.columns.some((c) => c === column))',
    tests: [`${RULES}/workspace-keys.test.ts`],
  },
  {
    id: 'keys-fk-any-position',
    area: 'rules',
    bug: 'workspace-keys accepts workspace_id anywhere on the referenced side',
    file: `${RULES}/workspace-keys.ts`,
    find: 'fk.foreignColumns[i] === column',
    replace: 'fk.foreignColumns.includes(column)',
    tests: [`${RULES}/workspace-keys.test.ts`],
  },
  {
    id: 'keys-uniques-ignored',
    area: 'rules',
    bug: 'workspace-keys checks the primary key only, not unique constraints',
    file: `${RULES}/workspace-keys.ts`,
    find: "      ...shape.uniques.map((key) => ({ kind: 'unique constraint', key })),\n",
    replace: '',
    tests: [`${RULES}/workspace-keys.test.ts`],
  },
  {
    id: 'keys-global-checked',
    area: 'rules',
    bug: 'workspace-keys checks declared global tables too',
    file: `${RULES}/workspace-keys.ts`,
    find: "if (!shape.workspaceColumn || scope(shape.name) !== 'workspace') return [];",
    replace: 'if (!shape.workspaceColumn) return [];',
    tests: [`${RULES}/workspace-keys.test.ts`],
  },
  {
    id: 'fk-nullable-accepted',
    area: 'rules',
    bug: 'workspace-fk accepts a nullable workspace_id',
    file: `${RULES}/workspace-fk.ts`,
    find: 'if (!shape.workspaceNotNull) violations.push(',
    replace: 'if (false) violations.push(',
    tests: [`${RULES}/workspace-fk.test.ts`],
  },
  {
    id: 'fk-any-target',
    area: 'rules',
    bug: 'workspace-fk accepts a workspace_id referencing any table',
    file: `${RULES}/workspace-fk.ts`,
    find: 'return table === this.config.tenantTable && column === this.config.tenantKey;',
    replace: 'return column === this.config.tenantKey;',
    tests: [`${RULES}/workspace-fk.test.ts`],
  },
  {
    id: 'identifiers-columns-unchecked',
    area: 'rules',
    bug: 'identifiers checks table and key names but not column names',
    file: `${RULES}/identifiers.ts`,
    find: "const violation = this.checkName(context, kind, name, kind === 'column' ? { table: shape.name, column: name } : { table: shape.name });",
    replace: "const violation = kind === 'column' ? undefined : this.checkName(context, kind, name, { table: shape.name });",
    tests: [`${RULES}/identifiers.test.ts`, 'apps/core/src/lib/registry/registration.fuzz.test.ts'],
  },
  {
    id: 'identifiers-length-off-by-one',
    area: 'rules',
    bug: 'identifiers lets a 64-byte name through (PostgreSQL truncates it to 63)',
    file: `${RULES}/identifiers.ts`,
    find: 'if (bytes <= MAX_IDENTIFIER_BYTES && wellFormed) return undefined;',
    replace: 'if (bytes <= MAX_IDENTIFIER_BYTES + 1 && wellFormed) return undefined;',
    tests: [`${RULES}/identifiers.test.ts`],
  },
  {
    id: 'prefix-tables-unchecked',
    area: 'rules',
    bug: 'table-prefix checks views, enums and sequences but not tables',
    file: `${RULES}/table-prefix.ts`,
    find: '.filter(({ config }) => !config.name.startsWith(prefix))',
    replace: '.filter(() => false)',
    tests: [`${RULES}/table-prefix.test.ts`],
  },

  // planMigrations and the package order
  {
    id: 'plan-unsorted',
    area: 'migration plan',
    bug: 'pending migrations in shipping order instead of id order',
    file: `${MIGRATIONS}/migration-plan.ts`,
    find: '.map(toPlanned).sort((a, b) => compareIds(a.id, b.id));',
    replace: '.map(toPlanned);',
    tests: [`${MIGRATIONS}/migration-plan.test.ts`],
  },
  {
    id: 'plan-history-shared',
    area: 'migration plan',
    bug: "a package's history includes other packages' rows with the same ids",
    file: `${MIGRATIONS}/migration-plan.ts`,
    find: 'history.filter((row) => row.packageName === packageName)',
    replace: 'history',
    tests: [`${MIGRATIONS}/migration-plan.test.ts`],
  },
  {
    id: 'plan-edits-unseen',
    area: 'migration plan',
    bug: 'an applied migration whose SQL was edited is not reported',
    file: `${MIGRATIONS}/migration-plan.ts`,
    find: 'if (row && row.checksum !== migration.checksum) {',
    replace: 'if (row && row.checksum === undefined) {',
    tests: [`${MIGRATIONS}/migration-plan.test.ts`],
  },
  {
    id: 'plan-unknown-inverted',
    area: 'migration plan',
    bug: 'unknown migrations are the shipped ones instead of the unshipped ones',
    file: `${MIGRATIONS}/migration-plan.ts`,
    find: '.filter((id) => !shippedIds.has(id))',
    replace: '.filter((id) => shippedIds.has(id))',
    tests: [`${MIGRATIONS}/migration-plan.test.ts`],
  },
  {
    id: 'plan-down-sql',
    area: 'migration plan',
    bug: 'an up/down migration plans its down SQL',
    file: `${MIGRATIONS}/migration-plan.ts`,
    find: "const sql = 'sql' in migration ? migration.sql : migration.up;",
    replace: "const sql = 'sql' in migration ? migration.sql : migration.down;",
    tests: [`${MIGRATIONS}/migration-plan.test.ts`],
  },
  {
    id: 'plan-locale-order',
    area: 'migration plan',
    bug: "ids compared in the machine's locale instead of code-point order",
    file: `${MIGRATIONS}/migration-plan.ts`,
    find: 'return a < b ? -1 : a > b ? 1 : 0;',
    replace: 'return a.localeCompare(b);',
    tests: [`${MIGRATIONS}/migration-plan.test.ts`],
  },
  {
    id: 'order-dependencies-ignored',
    area: 'migration plan',
    bug: 'packages migrate in registration order, not after their dependencies',
    file: `${MIGRATIONS}/package-order.ts`,
    find: '      visit(target);\n',
    replace: '',
    tests: [`${MIGRATIONS}/package-order.test.ts`],
  },

  // withWorkspace
  {
    id: 'with-workspace-no-role',
    area: 'withWorkspace',
    bug: 'withWorkspace sets the workspace but does not switch to the application role',
    file: `${ISOLATION}/with-workspace.ts`,
    find: "SELECT set_config(${WORKSPACE_SETTING}, ${workspaceId}, true), set_config('role', ${APP_ROLE}, true)",
    replace: 'SELECT set_config(${WORKSPACE_SETTING}, ${workspaceId}, true), ${APP_ROLE}::text',
    tests: [`${ISOLATION}/isolation.test.ts`],
    testNamePattern: 'on PostgreSQL',
  },
  {
    id: 'with-workspace-session-setting',
    area: 'withWorkspace',
    bug: 'the workspace is set for the session, so a pooled connection carries it into the next request',
    file: `${ISOLATION}/with-workspace.ts`,
    find: 'set_config(${WORKSPACE_SETTING}, ${workspaceId}, true)',
    replace: 'set_config(${WORKSPACE_SETTING}, ${workspaceId}, false)',
    tests: [`${ISOLATION}/isolation.test.ts`],
  },
  {
    id: 'with-workspace-empty-id',
    area: 'withWorkspace',
    bug: 'withWorkspace accepts an empty workspace id',
    file: `${ISOLATION}/with-workspace.ts`,
    find: "if (typeof workspaceId !== 'string' || workspaceId.length === 0) {",
    replace: "if (typeof workspaceId !== 'string') {",
    tests: [`${ISOLATION}/isolation.test.ts`],
  },

  // probeIsolation
  {
    id: 'probe-workspace-only',
    area: 'isolation probe',
    bug: 'the probe reads with a workspace set only, never with none',
    file: `${ISOLATION}/isolation-probe.ts`,
    find: "for (const workspace of [`ydtb_probe_${randomUUID()}`, ''])",
    replace: 'for (const workspace of [`ydtb_probe_${randomUUID()}`])',
    tests: [`${ISOLATION}/side-doors.test.ts`],
    testNamePattern: 'probe',
  },
  {
    id: 'probe-as-owner',
    area: 'isolation probe',
    bug: 'the probe reads as the connection (the owner) instead of the application role',
    file: `${ISOLATION}/isolation-probe.ts`,
    find: 'await tx.exec(`SET LOCAL ROLE ${APP_ROLE}`);',
    replace: "await tx.exec('SELECT 1');",
    tests: [`${ISOLATION}/side-doors.test.ts`],
    testNamePattern: 'probe',
  },
  {
    id: 'probe-one-row-ignored',
    area: 'isolation probe',
    bug: 'the probe reports a relation only when it shows more than one row',
    file: `${ISOLATION}/isolation-probe.ts`,
    find: 'return (row?.n ?? 0) > 0 ?',
    replace: 'return (row?.n ?? 0) > 1 ?',
    tests: [`${ISOLATION}/side-doors.test.ts`],
    testNamePattern: 'probe',
  },
  {
    id: 'probe-suspects-inverted',
    area: 'isolation probe',
    bug: 'the probe counts the relations that showed no row instead of those that did',
    file: `${ISOLATION}/isolation-probe.ts`,
    find: 'rows.filter((r) => r.seen)',
    replace: 'rows.filter((r) => !r.seen)',
    tests: [`${ISOLATION}/side-doors.test.ts`],
    testNamePattern: 'probe',
  },
  {
    id: 'probe-unreadable-ignored',
    area: 'isolation probe',
    bug: 'a relation the application role cannot read is not reported',
    file: `${ISOLATION}/isolation-probe.ts`,
    find: 'return { ...target, visibleRows: 0, workspaceSet, error: error instanceof Error ? error.message : String(error) };',
    replace: 'return undefined;',
    tests: [`${ISOLATION}/side-doors.test.ts`, `${ISOLATION}/production-roles.test.ts`],
    testNamePattern: 'probe',
  },

  // the export manifest
  {
    id: 'manifest-missing-unreported',
    area: 'export manifest',
    bug: 'a file missing from an export is not reported as missing',
    file: `${TENANCY}/export-manifest.ts`,
    find: "    if (!existsSync(path)) {\n      bad.push(`${entry.file}: missing`);\n      continue;\n    }\n",
    replace: '',
    tests: [`${TENANCY}/export-manifest.test.ts`],
  },
  {
    id: 'manifest-checksum-unchecked',
    area: 'export manifest',
    bug: 'an edited file passes when its size and lines are unchanged',
    file: `${TENANCY}/export-manifest.ts`,
    find: 'if (sha256 !== entry.sha256) bad.push(',
    replace: 'if (sha256 === undefined) bad.push(',
    tests: [`${TENANCY}/export-manifest.test.ts`],
  },
  {
    id: 'manifest-rows-unchecked',
    area: 'export manifest',
    bug: "a manifest's row count is not compared with the file's lines",
    file: `${TENANCY}/export-manifest.ts`,
    find: 'bytes !== entry.bytes || lines !== entry.rows',
    replace: 'bytes !== entry.bytes',
    tests: [`${TENANCY}/export-manifest.test.ts`],
  },
  {
    id: 'manifest-first-error-only',
    area: 'export manifest',
    bug: 'only the first damaged file is reported',
    file: `${TENANCY}/export-manifest.ts`,
    find: 'throw new TransferRefusedError(\'checksum\', `The export in ${dir} is damaged: ${bad.length} file(s) differ from its manifest. Nothing was written; export again or use an intact copy.`, bad);',
    replace: 'throw new TransferRefusedError(\'checksum\', `The export in ${dir} is damaged: 1 file(s) differ from its manifest. Nothing was written; export again or use an intact copy.`, bad.slice(0, 1));',
    tests: [`${TENANCY}/export-manifest.test.ts`],
  },
  {
    id: 'manifest-folder-one-file',
    area: 'export manifest',
    bug: 'an export may be written into a folder that holds one file',
    file: `${TENANCY}/export-manifest.ts`,
    find: 'readdirSync(dir).length > 0',
    replace: 'readdirSync(dir).length > 1',
    tests: [`${TENANCY}/export-manifest.test.ts`],
  },
  {
    id: 'manifest-any-format',
    area: 'export manifest',
    bug: 'a manifest of another format version is read as this one',
    file: `${TENANCY}/export-manifest.ts`,
    find: 'format: z.literal(MANIFEST_FORMAT),',
    replace: 'format: z.string(),',
    tests: [`${TENANCY}/export-manifest.test.ts`],
  },
  {
    id: 'manifest-two-digit-files',
    area: 'export manifest',
    bug: 'table files numbered with two digits, which the manifest format refuses',
    file: `${TENANCY}/export-manifest.ts`,
    find: "padStart(3, '0')",
    replace: "padStart(2, '0')",
    tests: [`${TENANCY}/export-manifest.test.ts`],
  },
];
