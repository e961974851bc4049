import { fitIdentifier, MAX_IDENTIFIER_BYTES } from './fit-identifier.ts';

describe('fitIdentifier', () => {
  describe('when the name fits in 63 bytes', () => {
    it('should return it unchanged', () => {
      const name = `ydtb_${'x'.repeat(55)}_fk`;

      expect(fitIdentifier(name)).toBe(name);
      expect(fitIdentifier('ydtb_notes_workspace_id_ydtb_workspaces_id_fk')).toBe('ydtb_notes_workspace_id_ydtb_workspaces_id_fk');
    });
  });

  describe('when it does not', () => {
    const long = 'ydtb_billing_invoice_line_item_adjustments_workspace_id_ydtb_workspaces_id_fk';

    it('should keep its head and suffix around a hash, in exactly 63 bytes at most', () => {
      const fitted = fitIdentifier(long);

      expect(fitted).toMatch(/^ydtb_billing_invoice_line_item_adjustments_[a-z_]*[a-z]_[0-9a-f]{8}_fk$/);
      expect(fitted.length).toBeLessThanOrEqual(MAX_IDENTIFIER_BYTES);
    });

    it('should be deterministic and tell apart names that share their first 63 bytes', () => {
      const other = long.replace(/_fk$/, '_2_fk');

      expect(fitIdentifier(long)).toBe(fitIdentifier(long));
      expect(fitIdentifier(other)).not.toBe(fitIdentifier(long));
    });

    it('should count bytes, not characters', () => {
      expect(Buffer.byteLength(fitIdentifier(`ydtb_${'é'.repeat(40)}_pk`), 'utf8')).toBeLessThanOrEqual(MAX_IDENTIFIER_BYTES);
    });
  });
});
