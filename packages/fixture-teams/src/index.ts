export { PACKAGE_NAME, teamsModule } from './module';
export * as teamsSchema from './schema';
