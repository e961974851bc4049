import type { ContainerModule } from 'inversify';
import { basicModule } from '@ydtb/basic';
import { crmModule } from '@ydtb/crm';

/** The packages this host is installed with (the same list `ydtb db migrate` migrated). */
export const installedPackages: readonly ContainerModule[] = [basicModule, crmModule];
