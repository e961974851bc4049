import type { ServiceIdentifier } from 'inversify';
import { TABLE_PREFIX } from '@ydtb/plugin-api';
import type { DatabaseRegistryConfig } from '../../types/database-registry.ts';

/** Service identifier of the registry configuration; rebind it to change the conventions. */
export const REGISTRY_CONFIG: ServiceIdentifier<DatabaseRegistryConfig> = Symbol.for('ydtb.RegistryConfig');

export const defaultRegistryConfig: DatabaseRegistryConfig = Object.freeze({
  tablePrefix: TABLE_PREFIX,
  tenantTable: `${TABLE_PREFIX}workspaces`,
  tenantKey: 'id',
  workspaceProperty: 'workspaceId',
  distributionReadiness: 'warning',
  workspaceCascade: 'warning',
});
