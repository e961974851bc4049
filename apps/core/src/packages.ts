import type { ContainerModule } from 'inversify';
import { basicModule } from '@ydtb/basic';
import { crmModule } from '@ydtb/crm';

/** The feature packages this host app is installed with, loaded into its container. */
export const installedPackages: readonly ContainerModule[] = [basicModule, crmModule];
