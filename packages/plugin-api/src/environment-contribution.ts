import type { ZodType } from 'zod';

/** A package's environment variables: server-only ones, and ones safe to expose to browsers. */
export interface EnvironmentContribution {
  readonly packageName: string;
  readonly server?: Readonly<Record<string, ZodType>>;
  /** Client variable names must start with `YDTB_PUBLIC_` so nobody exposes a secret by accident. */
  readonly client?: Readonly<Record<string, ZodType>>;
}
