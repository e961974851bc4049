import { readFileSync } from 'node:fs';

type Dependencies = Readonly<Record<string, string>>;

interface Manifest {
  readonly name?: string;
  readonly dependencies?: Dependencies;
  readonly optionalDependencies?: Dependencies;
  readonly peerDependencies?: Dependencies;
  readonly optionalPeers?: readonly string[];
}

/** bun.lock (text lockfile, version 1 or 2): workspaces by folder, packages by install path. */
export interface BunLock {
  readonly workspaces: Readonly<Record<string, Manifest>>;
  readonly packages: Readonly<Record<string, readonly [string, ...unknown[]]>>;
}

/** Reads bun.lock, which is JSON with trailing commas. */
export function readBunLock(file: string): BunLock {
  const text = readFileSync(file, 'utf8');
  let json = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (inString) {
      json += char;
      if (char === '\\') json += text[++i] ?? '';
      else if (char === '"') inString = false;
    } else if (char === '"') {
      inString = true;
      json += char;
    } else if (char === ',' && /^\s*[}\]]/.test(text.slice(i + 1))) {
      // a trailing comma: dropped
    } else {
      json += char;
    }
  }
  return JSON.parse(json) as BunLock;
}

/** What installing `name` installs with it: dependencies, optional dependencies and required peers. */
function installedWith(manifest: Manifest): string[] {
  const optionalPeers = new Set(manifest.optionalPeers ?? []);
  return [
    ...Object.keys(manifest.dependencies ?? {}),
    ...Object.keys(manifest.optionalDependencies ?? {}),
    ...Object.keys(manifest.peerDependencies ?? {}).filter((peer) => !optionalPeers.has(peer)),
  ];
}

/** The package names of an install path: `@a/b/c/@d/e` is [@a/b, c, @d/e]. */
function namesOf(key: string): string[] {
  const names: string[] = [];
  const parts = key.split('/');
  for (let i = 0; i < parts.length; i++) names.push(parts[i]!.startsWith('@') ? `${parts[i]}/${parts[++i]}` : parts[i]!);
  return names;
}

/**
 * Every package installing the workspace at `folder` as a dependency brings (its devDependencies
 * are not installed for a dependent), each with the chain that brought it: `@ydtb/core > a > b`.
 * A dependency resolves as node_modules does: nested under its dependent first, then upwards.
 */
export function dependencyClosure(lock: BunLock, folder: string): Map<string, string> {
  const workspace = lock.workspaces[folder];
  if (!workspace?.name) throw new Error(`bun.lock has no workspace ${folder}`);
  const reached = new Map<string, string>();
  const manifestOf = (key: string): Manifest => {
    const [resolution, , meta] = lock.packages[key]!;
    const workspaceFolder = /@workspace:(.+)$/.exec(resolution)?.[1];
    return workspaceFolder ? lock.workspaces[workspaceFolder]! : ((meta ?? {}) as Manifest);
  };
  const visit = (key: string, manifest: Manifest, chain: string) => {
    for (const dependency of installedWith(manifest)) {
      const names = namesOf(key);
      let found: string | undefined;
      for (let depth = names.length; depth >= 0 && !found; depth--) {
        const candidate = [...names.slice(0, depth), dependency].join('/');
        if (lock.packages[candidate]) found = candidate;
      }
      if (!found) throw new Error(`bun.lock resolves no ${dependency} for ${key || workspace.name}`);
      if (reached.has(found)) continue;
      const name = namesOf(found).at(-1)!;
      reached.set(found, `${chain} > ${name}`);
      visit(found, manifestOf(found), `${chain} > ${name}`);
    }
  };
  visit(workspace.name, workspace, workspace.name);
  return reached;
}
