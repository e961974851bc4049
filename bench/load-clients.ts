/** The host load: concurrent HTTP clients, each one request after the other, over many workspaces. */

export interface LoadPlan {
  readonly clients: number;
  readonly requestsPerClient: number;
  readonly workspaces: readonly string[];
  /** Shifts which workspace each request goes to, so successive rounds spread differently. */
  readonly round: number;
}

export interface LoadOutcome {
  readonly requests: number;
  readonly wallMs: number;
  /** Milliseconds of each request, from sending it to having read its body. */
  readonly latencies: number[];
  /** Notes in a response that belong to another workspace than the one the path named. */
  readonly foreignRows: number;
  /** Notes in all responses: what the foreign-row count was taken over. */
  readonly rowsSeen: number;
}

interface Note {
  readonly workspaceId: string;
  readonly title: string;
}

/**
 * Every client sends `requestsPerClient` requests in turn: one write (`POST /w/:ws/notes`) in four,
 * the rest reads (`GET`), each to a workspace of its own choosing among `workspaces`. A response
 * other than 200/201 stops the run: a benchmark of failures measures nothing.
 */
export async function runLoad(baseUrl: string, plan: LoadPlan): Promise<LoadOutcome> {
  const latencies: number[] = [];
  let foreignRows = 0;
  let rowsSeen = 0;
  const client = async (c: number) => {
    for (let i = 0; i < plan.requestsPerClient; i++) {
      const workspace = plan.workspaces[(c * 31 + i * 13 + plan.round * 7) % plan.workspaces.length]!;
      const write = i % 4 === 0;
      const started = performance.now();
      const response = await fetch(`${baseUrl}/w/${workspace}/notes`, {
        method: write ? 'POST' : 'GET',
        body: write ? JSON.stringify({ title: `${workspace}:${c}.${i}` }) : undefined,
      });
      const text = await response.text();
      latencies.push(performance.now() - started);
      if (response.status !== (write ? 201 : 200)) throw new Error(`${write ? 'POST' : 'GET'} /w/${workspace}/notes answered ${response.status}: ${text}`);
      const body = JSON.parse(text) as { notes?: Note[]; note?: Note };
      for (const note of body.notes ?? [body.note!]) {
        rowsSeen++;
        if (note.workspaceId !== workspace || !note.title.startsWith(`${workspace}:`)) foreignRows++;
      }
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: plan.clients }, (_, c) => client(c)));
  return { requests: plan.clients * plan.requestsPerClient, wallMs: performance.now() - started, latencies, foreignRows, rowsSeen };
}
