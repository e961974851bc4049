#!/usr/bin/env bun
// The monorepo's entry, on the TypeScript sources; the published bin is dist/bin.js (src/bin.ts).
import '../src/bin.ts';
