import type { Node, VariableSetStmt } from 'libpg-query';
import { MIGRATION_RULES } from './migration-rule-ids.ts';

/** What a statement does that no migration may do: control the transaction, the role, the session or the database beyond the package. */
export interface Control {
  readonly rule: string;
  readonly severity: 'error' | 'warning';
  readonly message: string;
  readonly hint: string;
}

const error = (rule: string, message: string, hint: string): Control => ({ rule, severity: 'error', message, hint });

const TRANSACTION_HINT =
  'Remove the statement. Each package is already migrated in one transaction; a statement that cannot run in one goes alone in its own migration file headed `-- ydtb:no-transaction`.';
const ROLE_HINT = 'Remove the statement. Migrations run as the role that owns the tables; give other roles rights with GRANT.';
const SEARCH_PATH_HINT =
  "Remove it (pg_dump writes one at the top of its output): a package's objects live in the schema the pipeline migrates; write schema.name where another schema must be read.";
const WORKSPACE_HINT =
  'Remove it: a migration changes the schema for every workspace; the application chooses the workspace for each transaction (withWorkspace).';
const DATABASE_HINT =
  "Remove the statement: a package changes only its own tables, types, functions and views in the schema the pipeline migrates. Roles, database and role settings, schemas and event triggers are the operator's.";

/**
 * What the statement itself does to the migrator's transaction, role or session, or to the
 * database beyond the package; undefined when none of it. The statement may be a top-level one
 * or one found inside a body: the same statement is as dangerous in both.
 */
export function controlOf(stmt: Node, shown: string): Control | undefined {
  if ('TransactionStmt' in stmt) {
    return error(
      MIGRATION_RULES.transaction,
      `"${shown}" controls the transaction: the pipeline runs each package's pending migrations and their history rows in one transaction, and this would end or split it, leaving the package half-applied on a failure.`,
      TRANSACTION_HINT,
    );
  }
  if ('VariableSetStmt' in stmt) return settingControl(stmt.VariableSetStmt, shown);
  if ('DiscardStmt' in stmt) {
    return error(MIGRATION_RULES.session, `"${shown}" discards the migrator's session state.`, 'Remove the statement: a migration changes the schema, not the session.');
  }
  if ('AlterOwnerStmt' in stmt && stmt.AlterOwnerStmt.objectType !== 'OBJECT_SCHEMA' && stmt.AlterOwnerStmt.objectType !== 'OBJECT_DATABASE') return ownerChange(shown);
  if ('AlterTableStmt' in stmt && stmt.AlterTableStmt.cmds?.some((c) => 'AlterTableCmd' in c && c.AlterTableCmd.subtype === 'AT_ChangeOwner')) return ownerChange(shown);
  const beyond = beyondThePackage(stmt);
  return beyond ? error(MIGRATION_RULES.database, `"${shown}" ${beyond}`, DATABASE_HINT) : undefined;
}

/** `SET`, `RESET`, `SET LOCAL`: the role, the search_path, ydtb's own settings, or all of them. */
function settingControl(set: VariableSetStmt, shown: string): Control | undefined {
  const name = set.name?.toLowerCase() ?? '';
  if (name === 'role' || name === 'session_authorization') {
    return error(
      MIGRATION_RULES.role,
      `"${shown}" changes the role the migrator runs as: objects would be created with another owner and the rest of the run would go on as that role.`,
      ROLE_HINT,
    );
  }
  if (set.kind === 'VAR_RESET_ALL') {
    return error(MIGRATION_RULES.session, `"${shown}" resets every setting of the migrator's session, its role included.`, 'Remove the statement, or reset only the setting you changed (RESET <name>).');
  }
  if (name === 'search_path') return searchPath(`"${shown}"`);
  if (name.startsWith('ydtb.')) return workspaceSetting(`"${shown}"`, name);
  return undefined;
}

/** `subject`: what does it, quoted as the migration writes it. */
const searchPath = (subject: string) =>
  error(
    MIGRATION_RULES.session,
    `${subject} changes the schemas the migrator's names resolve in: the rest of the run would create and look for the package's tables in another schema, and a table made there is neither secured nor verified.`,
    SEARCH_PATH_HINT,
  );

const workspaceSetting = (subject: string, name: string) =>
  error(
    MIGRATION_RULES.session,
    `${subject} sets ${name}, which ydtb reads to choose the workspace whose rows a session sees: a migration that sets it acts as one workspace, and a function that sets it reads another workspace's rows.`,
    WORKSPACE_HINT,
  );

const ownerChange = (shown: string) =>
  error(
    MIGRATION_RULES.role,
    `"${shown}" gives the object to another role: the package's objects belong to the role its migrations run as, and an object owned by another role runs with that role's rights and is out of the package's reach.`,
    "Remove the statement: the objects a migration creates stay owned by the role it runs as.",
  );

/** What a statement changes beyond the package, in words after its first words; undefined when nothing. */
function beyondThePackage(stmt: Node): string | undefined {
  const settings =
    'changes a setting of the database, of a role or of the server: it applies to every later session, the application\'s included (a default ydtb.workspace_id shows that workspace\'s rows to a session that sets none), and outlives the package.';
  if ('AlterDatabaseStmt' in stmt || 'AlterDatabaseSetStmt' in stmt || 'AlterRoleSetStmt' in stmt || 'AlterSystemStmt' in stmt) return settings;
  if ('AlterDatabaseRefreshCollStmt' in stmt) return settings;
  if ('AlterOwnerStmt' in stmt && stmt.AlterOwnerStmt.objectType === 'OBJECT_DATABASE') return settings;
  if ('CreatedbStmt' in stmt || 'DropdbStmt' in stmt || dropOrRename(stmt, 'OBJECT_DATABASE') || 'CreateTableSpaceStmt' in stmt || 'DropTableSpaceStmt' in stmt) {
    return "creates, renames or drops a database or a tablespace: they are the server's, shared by every package and every application on it.";
  }
  if ('CreateRoleStmt' in stmt || 'AlterRoleStmt' in stmt || 'DropRoleStmt' in stmt || 'GrantRoleStmt' in stmt || dropOrRename(stmt, 'OBJECT_ROLE')) {
    return "creates, changes, drops or grants a role: roles, their attributes and their memberships are the operator's and the pipeline's, and a role a package controls can act beyond the package's tables.";
  }
  if ('ReassignOwnedStmt' in stmt || 'DropOwnedStmt' in stmt) return "drops or gives away every object a role owns, whichever package made it.";
  if ('CreateEventTrigStmt' in stmt || 'AlterEventTrigStmt' in stmt || dropOrRename(stmt, 'OBJECT_EVENT_TRIGGER')) {
    return "creates or changes an event trigger: it runs on every later schema change in the database, any package's and the pipeline's own.";
  }
  if ('CreateSchemaStmt' in stmt || dropOrRename(stmt, 'OBJECT_SCHEMA') || ('AlterOwnerStmt' in stmt && stmt.AlterOwnerStmt.objectType === 'OBJECT_SCHEMA')) {
    return "creates, changes or drops a schema: a package's objects live in the schema the pipeline migrates, secures and verifies; what is made elsewhere is none of these.";
  }
  return undefined;
}

function dropOrRename(stmt: Node, type: string): boolean {
  return ('DropStmt' in stmt && stmt.DropStmt.removeType === type) || ('RenameStmt' in stmt && stmt.RenameStmt.renameType === type);
}

/**
 * What the statement does deeper in its tree: a `set_config()` call anywhere (a SELECT, a
 * default, a policy, a function written BEGIN ATOMIC…) on the role, the search_path or a ydtb
 * setting, or with a name computed at run time (a function wrapping set_config($1, …) would
 * hide any of them behind its own name), and a function's `SET role` or `SET ydtb.…` clause,
 * which takes effect each time the function is called. A function's `SET search_path` is its
 * own and stays allowed (it is how a SECURITY DEFINER function fixes its search_path).
 * `mayCallSetConfig` false (the SQL does not name it) spares the walk of every other statement.
 */
export function nestedControls(stmt: Node, shown: string, mayCallSetConfig: boolean): Control[] {
  const found: Control[] = [];
  // Only a function's own options can hold a SET clause; set_config can be anywhere, when the text names it.
  const options = 'CreateFunctionStmt' in stmt ? stmt.CreateFunctionStmt.options : 'AlterFunctionStmt' in stmt ? stmt.AlterFunctionStmt.actions : undefined;
  const tree = mayCallSetConfig ? stmt : options;
  if (!tree) return found;
  visit(tree, (key, value) => {
    if (key === 'FuncCall') {
      const call = value as { funcname?: Node[]; args?: Node[] };
      const name = call.funcname?.at(-1);
      if (!name || !('String' in name) || name.String.sval !== 'set_config') return;
      const setting = constantString(settingNameOf(call.args ?? []));
      if (setting === undefined) {
        // No package needs it, and a function wrapping set_config($1, …) would hide any SET ROLE behind it.
        found.push(
          error(
            MIGRATION_RULES.session,
            `"${shown}" calls set_config() with a setting name computed when it runs: it could set the role, the search_path or ydtb.workspace_id, and the lint cannot tell which.`,
            "Remove it, or write the setting's name as a literal: set_config('<name>', …).",
          ),
        );
        return;
      }
      const lower = setting.toLowerCase();
      const subject = `set_config('${setting}', …) in "${shown}"`;
      if (lower === 'role' || lower === 'session_authorization') {
        found.push(error(MIGRATION_RULES.role, `${subject} changes the role the migrator runs as, like SET ROLE: objects would be created with another owner and the rest of the run would go on as that role.`, ROLE_HINT));
      } else if (lower === 'search_path') found.push(searchPath(subject));
      else if (lower.startsWith('ydtb.')) found.push(workspaceSetting(subject, lower));
      return;
    }
    if (key === 'VariableSetStmt') {
      // Only reached nested: a function's SET clause (CREATE/ALTER FUNCTION … SET name = value).
      const name = (value as VariableSetStmt).name?.toLowerCase() ?? '';
      if (name === 'role' || name === 'session_authorization') {
        found.push(
          error(
            MIGRATION_RULES.role,
            `"${shown}" gives a function SET ${name}: each call would run its body as that role, whoever calls it.`,
            'Remove the SET clause: a function runs as its caller (or, SECURITY DEFINER and declared, as its owner).',
          ),
        );
      } else if (name.startsWith('ydtb.')) found.push(workspaceSetting(`The SET ${name} clause of "${shown}"`, name));
      return;
    }
  });
  return found;
}

/** set_config's first argument, or the one named `setting_name`. */
function settingNameOf(args: readonly Node[]): Node | undefined {
  for (const arg of args) {
    if ('NamedArgExpr' in arg && arg.NamedArgExpr.name === 'setting_name') return arg.NamedArgExpr.arg;
  }
  const first = args[0];
  return first && !('NamedArgExpr' in first) ? first : undefined;
}

/** Calls `fn` with every node of the tree (key = its type), except `sql_body`, whose statements are checked one by one as a body. */
function visit(value: unknown, fn: (key: string, value: unknown) => void): void {
  if (Array.isArray(value)) {
    for (const item of value) visit(item, fn);
    return;
  }
  if (value === null || typeof value !== 'object') return;
  for (const [key, child] of Object.entries(value)) {
    if (key === 'sql_body' || child === null || typeof child !== 'object') continue;
    if (/^[A-Z]/.test(key)) fn(key, child);
    visit(child, fn);
  }
}

/** The value of a string constant, through casts and `||` between constants; undefined when it is computed. */
export function constantString(node: Node | undefined): string | undefined {
  if (!node) return undefined;
  // An empty string is `sval: {}`.
  if ('A_Const' in node) return node.A_Const.sval ? (node.A_Const.sval.sval ?? '') : undefined;
  if ('TypeCast' in node) return constantString(node.TypeCast.arg);
  if ('A_Expr' in node && node.A_Expr.kind === 'AEXPR_OP') {
    const op = node.A_Expr.name?.at(-1);
    if (!op || !('String' in op) || op.String.sval !== '||') return undefined;
    const left = constantString(node.A_Expr.lexpr);
    const right = constantString(node.A_Expr.rexpr);
    return left === undefined || right === undefined ? undefined : left + right;
  }
  return undefined;
}
