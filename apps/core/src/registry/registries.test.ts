import { basicModule } from '@ydtb/basic';
import { createContainer, DatabaseRegistry, EnvironmentRegistry } from './index.ts';

describe('the host registries', () => {
  describe('when a host builds its container from package modules', () => {
    it('should validate and register every package and merge their environments', () => {
      const container = createContainer([basicModule]);
      const database = container.get(DatabaseRegistry);       // validates and registers every package
      const environment = container.get(EnvironmentRegistry);
      database.get('@ydtb/basic');                             // { registration, tables, views, objects, warnings }

      expect(database.get('@ydtb/basic')?.tables.map((t) => t.config.name).sort()).toEqual(['ydtb_basic_note_tags', 'ydtb_basic_notes']);
      expect(environment.packages()).toEqual(['@ydtb/basic']);
    });
  });
});
