export { crmModule, PACKAGE_NAME } from './module';
export * as crmSchema from './schema';
