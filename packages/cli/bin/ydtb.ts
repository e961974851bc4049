#!/usr/bin/env bun
import 'reflect-metadata';
import { fileURLToPath } from 'node:url';
import { relaunchWithDecorators } from '../src/cli/relaunch';

const args = process.argv.slice(2);
const relaunched = relaunchWithDecorators(fileURLToPath(import.meta.url), args, process.env);
if (relaunched !== undefined) {
  process.exitCode = relaunched;
} else {
  // Loaded only now: the registry's modules must be compiled with decorator metadata.
  const { runCli } = await import('../src/cli/run-cli');
  process.exitCode = await runCli(args, {
    out: (text) => process.stdout.write(`${text}\n`),
    err: (text) => process.stderr.write(`${text}\n`),
    env: process.env,
    cwd: process.cwd(),
  });
}
