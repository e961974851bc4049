export { invoicingModule, PACKAGE_NAME } from './module';
export * as invoicingSchema from './schema';
