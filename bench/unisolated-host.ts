import { withDeadline } from '../apps/example-host/src/deadline';
import { HOST_DEFAULTS } from '../apps/example-host/src/host';
import { serveHttp } from '../apps/example-host/src/http-server';
import { checkPool, checkReady } from '../apps/example-host/src/pool-check';
import { openPool } from '../apps/example-host/src/pool';
import { createRoutes } from '../apps/example-host/src/routes';
import { unisolatedNotes } from './unisolated-notes';

/*
 * The baseline of the host load row, as its own process like the example host: the same routes,
 * deadline, HTTP server, pool size, pool bounds and page size, with unisolatedNotes instead of withWorkspace.
 * DATABASE_URL is the tables' owner; PORT and DATABASE_POOL_MAX as for the host.
 */
const { DATABASE_URL, PORT = '0', DATABASE_POOL_MAX = '4', BASIC_NOTES_PAGE_SIZE = '50' } = process.env;
if (!DATABASE_URL) throw new Error('Set DATABASE_URL to the owner of the tables.');
const { deadlineMs, maxInFlight, readyTimeoutMs, statementTimeoutMs, lockTimeoutMs, idleInTransactionTimeoutMs, connectTimeoutSeconds } = HOST_DEFAULTS;
const pool = openPool(DATABASE_URL, { max: Number(DATABASE_POOL_MAX), statementTimeoutMs, lockTimeoutMs, idleInTransactionTimeoutMs, connectTimeoutSeconds });
const routes = createRoutes({
  notes: unisolatedNotes(pool.db),
  pageSize: Number(BASIC_NOTES_PAGE_SIZE),
  checkPool: (signal) => checkPool(pool.sql, pool.max, signal),
  checkReady: () => checkReady(pool.sql, readyTimeoutMs),
});
const server = serveHttp(withDeadline(routes, { deadlineMs, maxInFlight }), { port: Number(PORT), idleTimeoutSeconds: deadlineMs / 1000 + 5 });
console.log(`Listening on ${server.url} without withWorkspace, ${pool.max} pooled connections.`);
process.once('SIGTERM', async () => {
  await server.stop();
  await pool.close();
  process.exit(0);
});
