import { z } from 'zod';
import { EnvironmentRegistry } from './environment.ts';
import { EnvironmentError } from './environment-error.ts';

describe('EnvironmentRegistry', () => {
  const billing = {
    packageName: '@test/billing',
    server: { BILLING_API_KEY: z.string().min(8) },
    client: { YDTB_PUBLIC_BILLING_CURRENCY: z.enum(['EUR', 'USD']).default('EUR') },
  };

  describe('when packages declare distinct variables', () => {
    it('should merge them into server, client and merged schemas', () => {
      const registry = new EnvironmentRegistry([billing, { packageName: '@test/mail', server: { MAIL_HOST: z.string() } }]);

      expect(Object.keys(registry.serverSchema().shape).sort()).toEqual(['BILLING_API_KEY', 'MAIL_HOST']);
      expect(Object.keys(registry.clientSchema().shape)).toEqual(['YDTB_PUBLIC_BILLING_CURRENCY']);
      expect(Object.keys(registry.mergedSchema().shape)).toHaveLength(3);
    });

    it('should parse an environment, applying defaults', () => {
      const registry = new EnvironmentRegistry([billing]);

      expect(registry.parse({ BILLING_API_KEY: 'secret-key', UNRELATED: 'x' })).toEqual({
        BILLING_API_KEY: 'secret-key',
        YDTB_PUBLIC_BILLING_CURRENCY: 'EUR',
      });
    });

    it('should report every bad variable with the package that declared it', () => {
      const registry = new EnvironmentRegistry([billing]);

      expect(() => registry.parse({ YDTB_PUBLIC_BILLING_CURRENCY: 'GBP' })).toThrow(
        /BILLING_API_KEY \(declared by @test\/billing\)[\s\S]*YDTB_PUBLIC_BILLING_CURRENCY \(declared by @test\/billing\)/,
      );
    });
  });

  describe('when declarations clash', () => {
    it('should refuse a variable another package owns and keep the first declaration', () => {
      const registry = new EnvironmentRegistry([billing]);

      expect(() => registry.register({ packageName: '@test/other', server: { BILLING_API_KEY: z.string(), OTHER: z.string() } })).toThrow(
        EnvironmentError,
      );
      expect(registry.packages()).toEqual(['@test/billing']);
      expect(Object.keys(registry.serverSchema().shape)).toEqual(['BILLING_API_KEY']);
    });

    it('should refuse a client variable without the public prefix', () => {
      const registry = new EnvironmentRegistry(undefined);

      expect(() => registry.register({ packageName: '@test/leaky', client: { STRIPE_SECRET: z.string() } })).toThrow(
        'client variable STRIPE_SECRET must start with YDTB_PUBLIC_',
      );
    });
  });
});
