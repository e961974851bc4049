/** @jest-config-loader esbuild-register */
import type { Config } from 'jest';

const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
    },
    module: { type: 'es6' },
  },
];

// The workspaces' exports send the `@ydtb/source` condition to their TypeScript sources and every
// other resolver to the dist/ a pack builds: tests run on the sources, in Jest and in every Bun
// they spawn.
const SOURCE = '@ydtb/source';
if (!process.env.BUN_OPTIONS?.includes(`--conditions=${SOURCE}`)) {
  process.env.BUN_OPTIONS = [process.env.BUN_OPTIONS, `--conditions=${SOURCE}`].filter(Boolean).join(' ');
}

const config: Config = {
  testEnvironment: 'node',
  testEnvironmentOptions: { customExportConditions: ['node', 'node-addons', SOURCE] },
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': swc as never },
  roots: ['<rootDir>/apps', '<rootDir>/packages', '<rootDir>/test'],
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/test/global-teardown.ts',
  testMatch: ['**/*.test.ts'],
  testTimeout: 60_000,
};

export default config;
