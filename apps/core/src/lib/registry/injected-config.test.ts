import { decorate, injectFromBase } from 'inversify';
import { createContainer } from './container.ts';
import { DatabaseRegistry } from './database.ts';
import { PrefixRule } from './rules/table-prefix.ts';
import { RuleInjectionError } from './rule-injection-error.ts';

describe('assertInjectedConfig', () => {
  describe('when a subclass of a core rule replaces it without inheriting its injections', () => {
    class BareSubclass extends PrefixRule {}

    it('should refuse to build it, naming the subclass and the decorate() call that fixes it', () => {
      const container = createContainer();
      container.rebind(PrefixRule).to(BareSubclass);
      let thrown: unknown;
      try {
        container.get(DatabaseRegistry);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(RuleInjectionError);
      expect(thrown).toMatchObject({ ruleClass: 'BareSubclass', missing: 'the registry configuration (REGISTRY_CONFIG)' });
      expect((thrown as Error).message).toContain('decorate(injectFromBase(), BareSubclass)');
    });
  });

  describe('when the subclass inherits them with decorate(injectFromBase(), …)', () => {
    class InheritingSubclass extends PrefixRule {}
    decorate(injectFromBase(), InheritingSubclass);

    it('should run it in place of the core rule', () => {
      const container = createContainer();
      container.rebind(PrefixRule).to(InheritingSubclass);
      container.get(DatabaseRegistry);
      expect(container.get(PrefixRule)).toBeInstanceOf(InheritingSubclass);
      expect(container.get(PrefixRule).hint).toContain('"ydtb_<package>_<name>"');
    });
  });
});
