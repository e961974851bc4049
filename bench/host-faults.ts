import { runFaults, type Fault, type FaultRunOptions } from '../apps/example-host/src/fixtures/fault-run';
import { median } from './measure';
import { result, type Result } from './report';

export type HostFaultsConfig = Omit<FaultRunOptions, 'progress'>;

/**
 * The example host as a process under load (HTTP clients over several workspaces) while its
 * PostgreSQL server (started for the run, crash-safe) is restarted with `pg_ctl restart -m fast`,
 * killed with SIGKILL and started again, and has the host's backends terminated, `rounds` times.
 * Recovery is the host's part of each outage: from the server accepting connections again (or the
 * backends terminated) to the first request started after that and answered 2xx; the baseline is
 * the server's own part, from the fault to accepting connections again.
 */
export async function hostFaultRows(config: HostFaultsConfig, progress: (line: string) => void): Promise<Result[]> {
  const report = await runFaults({ ...config, progress });
  const recoveryOf = (fault: Fault) => report.recoveries.filter((r) => r.fault === fault);
  const row = (fault: Fault, name: string, baselineIs: string): Result => {
    const runs = recoveryOf(fault);
    return result({
      name,
      value: median(runs.map((r) => r.hostRecoveryMs)),
      baseline: median(runs.map((r) => r.serverDownMs)),
      target: 1_000,
      targetOf: 'value',
      unit: 'ms',
      baselineIs,
    });
  };
  const worst = Math.max(...report.recoveries.map((r) => r.hostRecoveryMs));
  const counted = (name: string, value: number) => result({ name, value, baseline: 0, target: 0, targetOf: 'value', unit: 'count', baselineIs: 'none allowed' });
  return [
    row('restart', 'faults: host recovery after pg_ctl restart', 'server restart'),
    row('kill -9', 'faults: host recovery after kill -9', 'server kill + start'),
    row('terminate backends', 'faults: host recovery after pg_terminate_backend', 'none'),
    result({ name: 'faults: slowest host recovery', value: worst, baseline: config.deadlineMs, target: 1_000, targetOf: 'value', unit: 'ms', baselineIs: 'the deadline' }),
    result({ name: `faults: slowest answer (of ${report.requests})`, value: report.slowestMs, baseline: config.deadlineMs, target: 1, targetOf: 'ratio', unit: 'ms', baselineIs: 'the deadline' }),
    counted(`faults: unanswered past the deadline (of ${report.requests})`, report.unansweredPastDeadline),
    result({
      name: `faults: answered 503/504 (of ${report.requests})`,
      value: Object.entries(report.statuses).filter(([status]) => /50[34]$/.test(status)).reduce((n, [, c]) => n + c, 0),
      baseline: 0,
      target: null,
      targetOf: null,
      unit: 'count',
      baselineIs: 'information',
    }),
    counted(`faults: rows of another workspace (of ${report.rowsChecked})`, report.foreignRows),
    counted(`faults: acknowledged writes lost or doubled (of ${report.acknowledged})`, report.lost + report.duplicated),
    counted('faults: host exits and uncaught errors', (report.hostExit === undefined ? 0 : 1) + report.processErrors),
  ];
}
