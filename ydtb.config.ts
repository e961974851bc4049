import type { ContainerModule } from 'inversify';
import { basicModule } from '@ydtb/basic';
import { crmModule } from '@ydtb/crm';

/**
 * The feature packages this deployment is installed with. `ydtb` loads this file from the
 * working directory (or the one `--config` names) and puts every module in the host container.
 */
const packages: readonly ContainerModule[] = [basicModule, crmModule];

export default packages;
