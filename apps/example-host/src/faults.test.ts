import { runFaults, type FaultRunReport } from './fixtures/fault-run';

/*
 * The example host under load while its own PostgreSQL server is restarted, killed with SIGKILL
 * and has the host's backends terminated, twice each: it stays up, answers every request within its
 * deadline (503/504 while the database is away), and loses or doubles no acknowledged write.
 * The time it takes to recover is a bench figure (`bun run bench --only faults`), not checked here.
 */

const DEADLINE_MS = 2_000;

describe('the example host while its database fails', () => {
  let report: FaultRunReport;

  beforeAll(async () => {
    report = await runFaults({ clients: 4, workspaces: 12, deadlineMs: DEADLINE_MS, rounds: 2, steadyMs: 700 });
  }, 55_000);

  it('should not exit, nor meet an uncaught error', () => {
    expect({ exit: report.hostExit, processErrors: report.processErrors }).toEqual({ exit: undefined, processErrors: 0 });
  });

  it('should answer every request within its deadline, with a status a client can act on', () => {
    expect(report.unansweredPastDeadline).toBe(0);
    expect(Object.keys(report.statuses).filter((s) => !/^(GET (200|503|504)|POST (201|503|504))$/.test(s))).toEqual([]);
    expect(report.statuses['POST 201']).toBeGreaterThan(0);
  });

  it('should have recovered from every fault', () => {
    expect(report.recoveries.map((r) => r.fault)).toEqual(['restart', 'kill -9', 'terminate backends', 'restart', 'kill -9', 'terminate backends']);
  });

  it('should never return a row of another workspace', () => {
    expect(report.rowsChecked).toBeGreaterThan(0);
    expect(report.foreignRows).toBe(0);
  });

  it('should have stored every acknowledged note once, in its workspace', () => {
    expect({ lost: report.lost, duplicated: report.duplicated }).toEqual({ lost: 0, duplicated: 0 });
  });
});
