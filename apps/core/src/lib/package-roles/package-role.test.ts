import { describe, expect, it } from '@jest/globals';
import { isPackageRole, packageRole } from './package-role.ts';

describe('packageRole', () => {
  it('should spell the package name in lower case with underscores', () => {
    expect(packageRole('@ydtb/basic')).toBe('ydtb_pkg_ydtb_basic');
    expect(packageRole('@Acme/Invoice-Lines')).toBe('ydtb_pkg_acme_invoice_lines');
    expect(isPackageRole(packageRole('plain'))).toBe(true);
  });

  it('should keep a long name within 63 bytes and tell two long names apart', () => {
    const a = packageRole(`@acme/${'x'.repeat(80)}-a`);
    const b = packageRole(`@acme/${'x'.repeat(80)}-b`);

    expect(a.length).toBe(63);
    expect(b.length).toBe(63);
    expect(a).not.toBe(b);
    expect(a).toMatch(/^ydtb_pkg_acme_x+_[0-9a-f]{8}$/);
  });
});
