import { APP_ROLE } from '../isolation/isolation-settings.ts';

/**
 * The fallback when no event trigger can be made (the migrating role is not a superuser): a
 * fingerprint of every catalog row the verification reads, taken in one snapshot. It is built
 * from each row's version, not its content: (catalog, ctid, xmin). PostgreSQL writes a new
 * version of a row for every change to it (DDL, GRANT, a direct catalog UPDATE alike), so any
 * change gives a row a new xmin, and a created or dropped object adds or removes rows; reading
 * versions needs no deparsing of policies or privileges, which is what makes verification slow.
 * A VACUUM FULL of a catalog moves rows: a false alarm, which only costs one full verification.
 * Rows: the schema's relations and their columns, constraints, indexes, policies, rewrite rules
 * and sequence links; the schema's functions; the schema itself (its privileges); and what the
 * application role owns or was granted here (pg_shdepend). The role's own attributes and
 * memberships live in shared catalogs whose rows are not all readable: they are read as values
 * by the no-op check instead.
 * Its cost grows with the number of tables (about 11 catalog rows a table): it is a scan of the
 * schema's catalog rows and a hash of each, much cheaper than verifying, but not constant.
 */
export const CATALOG_FINGERPRINT = `
(WITH versions AS (
   SELECT c.tableoid, c.ctid, c.xmin FROM pg_class c WHERE c.relnamespace = current_schema()::regnamespace
   UNION ALL SELECT a.tableoid, a.ctid, a.xmin FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
     WHERE c.relnamespace = current_schema()::regnamespace AND a.attnum > 0
   UNION ALL SELECT k.tableoid, k.ctid, k.xmin FROM pg_constraint k WHERE k.connamespace = current_schema()::regnamespace
   UNION ALL SELECT i.tableoid, i.ctid, i.xmin FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid WHERE c.relnamespace = current_schema()::regnamespace
   UNION ALL SELECT p.tableoid, p.ctid, p.xmin FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid WHERE c.relnamespace = current_schema()::regnamespace
   UNION ALL SELECT r.tableoid, r.ctid, r.xmin FROM pg_rewrite r JOIN pg_class c ON c.oid = r.ev_class WHERE c.relnamespace = current_schema()::regnamespace
   UNION ALL SELECT d.tableoid, d.ctid, d.xmin FROM pg_depend d JOIN pg_class c ON c.oid = d.objid
     WHERE d.classid = 'pg_class'::regclass AND c.relnamespace = current_schema()::regnamespace
   UNION ALL SELECT f.tableoid, f.ctid, f.xmin FROM pg_proc f WHERE f.pronamespace = current_schema()::regnamespace
   UNION ALL SELECT n.tableoid, n.ctid, n.xmin FROM pg_namespace n WHERE n.oid = current_schema()::regnamespace
   UNION ALL SELECT s.tableoid, s.ctid, s.xmin FROM pg_shdepend s JOIN pg_roles r ON s.refclassid = 'pg_authid'::regclass AND s.refobjid = r.oid
     WHERE r.rolname = '${APP_ROLE}' AND s.dbid = (SELECT oid FROM pg_database WHERE datname = current_database()))
 SELECT count(*)::text || ':' || coalesce(bit_xor(hashtextextended(tableoid::text || ':' || ctid::text || ':' || xmin::text, 0)), 0)::text FROM versions)`;
