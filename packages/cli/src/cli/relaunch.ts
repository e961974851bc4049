import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { decoratorMetadataEmitted } from './decorator-metadata-probe';

/** Set on the relaunched process, so that it is relaunched at most once. */
const RELAUNCHED = 'YDTB_CLI_RELAUNCHED';

/** The CLI package's tsconfig: it extends the shared base, which enables decorators and their metadata. */
const CLI_TSCONFIG = fileURLToPath(new URL('../../tsconfig.json', import.meta.url));

/**
 * Bun compiles TypeScript with the tsconfig of the working directory only, so in a folder
 * without one (`packages/basic/src`) the registry's decorators lose their metadata. Then the
 * command runs again, once, in a child Bun told to use the CLI package's tsconfig, and its exit
 * code is returned; undefined when this process can run the command itself.
 */
export function relaunchWithDecorators(script: string, args: readonly string[], env: NodeJS.ProcessEnv): number | undefined {
  if (decoratorMetadataEmitted() || env[RELAUNCHED] || !process.versions.bun) return undefined;
  const child = spawnSync(process.execPath, [`--tsconfig-override=${CLI_TSCONFIG}`, script, ...args], {
    stdio: 'inherit',
    env: { ...env, [RELAUNCHED]: '1' },
  });
  return child.status ?? 1;
}
