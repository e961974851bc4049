import { decorate, injectFromBase } from 'inversify';
import { basicModule } from '@ydtb/basic';
import { PrefixRule, RuleInjectionError, type RuleContext, type Violation } from '@ydtb/core';
import { createPackageTestKit } from './package-test-kit.ts';

/** ydtb/table-prefix, and a warning naming every table it checked: proof it ran in the core rule's place. */
class AuditedPrefixRule extends PrefixRule {
  override check(context: RuleContext): Violation[] {
    const audit = context.tables.map(({ config }) => ({
      rule: this.id,
      severity: 'warning' as const,
      packageName: context.registration.packageName,
      table: config.name,
      message: `checked ${config.name}`,
    }));
    return [...super.check(context), ...audit];
  }
}
decorate(injectFromBase(), AuditedPrefixRule);

class BarePrefixRule extends PrefixRule {}

describe('replace', () => {
  describe('when a rule is replaced by a subclass that inherits its injections', () => {
    it('should run the subclass in its place, with the registry config', () => {
      const kit = createPackageTestKit(basicModule, { replace: { 'ydtb/table-prefix': AuditedPrefixRule } });

      expect(kit.package.warnings.map((w) => w.message).sort()).toEqual(['checked ydtb_basic_note_tags', 'checked ydtb_basic_notes']);
      expect(kit.container.get(PrefixRule).hint).toContain('"ydtb_<package>_<name>"');
    });
  });

  describe('when the subclass does not inherit them', () => {
    it('should fail naming the subclass and the decorate() call to add', () => {
      const kit = createPackageTestKit(basicModule, { replace: { 'ydtb/table-prefix': BarePrefixRule } });

      expect(() => kit.registry).toThrow(RuleInjectionError);
      expect(() => kit.registry).toThrow('decorate(injectFromBase(), BarePrefixRule)');
    });
  });
});
