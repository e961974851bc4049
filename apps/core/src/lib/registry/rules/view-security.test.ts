import { runRule } from '../rule-harness.ts';
import { registrationOf } from '../test-tables.ts';
import { billingRegistration } from '../fixtures/billing-module.ts';
import { allInvoices, invoiceTotals } from '../fixtures/rejected-schemas.ts';
import { ViewSecurityRule } from './view-security.ts';

const rule = new ViewSecurityRule();

describe('ViewSecurityRule', () => {
  describe('when a view is declared with securityInvoker', () => {
    it('should accept it', () => {
      expect(runRule(rule, billingRegistration)).toEqual([]);
    });
  });

  describe('when a view reads with its owner\'s rights', () => {
    it('should reject it with the securityInvoker fix', () => {
      expect(runRule(rule, registrationOf({ allInvoices }))).toEqual([
        expect.objectContaining({
          rule: 'ydtb/view-security',
          severity: 'error',
          message: 'View "ydtb_reports_all_invoices" is not declared with securityInvoker: it would read its tables with its owner\'s rights (the migrator\'s), around row-level security, and could show every workspace\'s rows.',
          hint: expect.stringContaining('.with({ securityInvoker: true })'),
        }),
      ]);
    });
  });

  describe('when the view is materialized', () => {
    it('should reject it, say why, and suggest a security-invoker view or a table', () => {
      const [violation] = runRule(rule, registrationOf({ invoiceTotals }));

      expect(violation?.message).toContain('Materialized view "ydtb_reports_invoice_totals"');
      expect(violation?.message).toContain('cannot apply row-level security to a materialized view');
      expect(violation?.hint).toContain('securityInvoker: true');
      expect(violation?.hint).toContain('workspace table');
    });
  });
});
