/**
 * Every workspace table of a package, with its workspace column: what the pipeline secures and
 * what `@ydtb/testing`'s isolation check attacks. One definition, the security model's.
 */
export { tenantTablesOf as tablesToSecure } from './security-model.ts';
