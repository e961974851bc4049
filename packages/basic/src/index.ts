export { basicModule, PACKAGE_NAME } from './module';
export * as basicSchema from './schema';
