import type { ContainerModule } from 'inversify';
import { basicModule } from '@ydtb/basic';

/** The feature packages this host app is installed with, loaded into its container. */
export const installedPackages: readonly ContainerModule[] = [basicModule];
