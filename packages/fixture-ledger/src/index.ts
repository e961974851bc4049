export { ledgerModule, PACKAGE_NAME } from './module';
export * as ledgerSchema from './schema';
