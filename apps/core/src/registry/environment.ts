import { decorate, injectable, multiInject, optional } from 'inversify';
import { z, type ZodType } from 'zod';
import { ENVIRONMENT_CONTRIBUTION, type EnvironmentContribution } from '@ydtb/plugin-api';
import { EnvironmentError } from './environment-error.ts';

/** Client variables are sent to browsers; the prefix makes exposing one a deliberate act. */
export const CLIENT_PREFIX = 'YDTB_PUBLIC_';

type Shape = Record<string, ZodType>;

/**
 * The environment variables packages declare, merged into one server and one client schema.
 * Resolving it from the container registers every `ENVIRONMENT_CONTRIBUTION`.
 */
export class EnvironmentRegistry {
  readonly #owners = new Map<string, string>();
  readonly #server: Shape = {};
  readonly #client: Shape = {};
  readonly #packages = new Set<string>();

  constructor(
    contributions: readonly EnvironmentContribution[] | undefined,
  ) {
    for (const contribution of contributions ?? []) this.register(contribution);
  }

  /** Adds a package's variables; a name another package owns, or a client name without the prefix, is refused whole. */
  register(contribution: EnvironmentContribution): void {
    const { packageName } = contribution;
    const problems = this.problemsWith(contribution);
    if (problems.length) throw new EnvironmentError(packageName, problems);
    this.#packages.add(packageName);
    this.claim(packageName, contribution.server ?? {}, this.#server);
    this.claim(packageName, contribution.client ?? {}, this.#client);
  }

  packages(): readonly string[] {
    return [...this.#packages];
  }

  serverSchema(): z.ZodObject<Shape> {
    return z.object({ ...this.#server });
  }

  clientSchema(): z.ZodObject<Shape> {
    return z.object({ ...this.#client });
  }

  /** Server code sees both; that is why they share one namespace. */
  mergedSchema(): z.ZodObject<Shape> {
    return z.object({ ...this.#server, ...this.#client });
  }

  /** Parses `env` against the merged schema; every missing or invalid variable is reported at once. */
  parse(env: Readonly<Record<string, string | undefined>>): Record<string, unknown> {
    const result = this.mergedSchema().safeParse(env);
    if (result.success) return result.data;
    throw new EnvironmentError(
      'environment',
      result.error.issues.map((issue) => {
        const name = issue.path.join('.');
        const owner = this.#owners.get(name);
        return `${name}${owner ? ` (declared by ${owner})` : ''}: ${issue.message}`;
      }),
    );
  }

  private problemsWith({ packageName, server = {}, client = {} }: EnvironmentContribution): string[] {
    const problems: string[] = [];
    if (this.#packages.has(packageName)) problems.push(`package "${packageName}" already declared its environment`);
    for (const name of Object.keys(client)) {
      if (!name.startsWith(CLIENT_PREFIX)) problems.push(`client variable ${name} must start with ${CLIENT_PREFIX}`);
    }
    for (const name of [...Object.keys(server), ...Object.keys(client)]) {
      const owner = this.#owners.get(name);
      if (owner) problems.push(`variable ${name} is already declared by ${owner}`);
    }
    return problems;
  }

  private claim(packageName: string, shape: Readonly<Shape>, into: Shape): void {
    for (const [name, type] of Object.entries(shape)) {
      into[name] = type;
      this.#owners.set(name, packageName);
    }
  }
}

// Attached without decorator syntax, as DatabaseRegistry's (README: Using @ydtb/core from your app).
decorate(injectable(), EnvironmentRegistry);
decorate([multiInject(ENVIRONMENT_CONTRIBUTION), optional()], EnvironmentRegistry, 0);
