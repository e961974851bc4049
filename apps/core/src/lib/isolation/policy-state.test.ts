import { normalisePredicate } from './policy-state.ts';
import { workspacePredicate } from './policy-sql.ts';

/* How PostgreSQL deparses the policy the pipeline writes, per workspace column type, and what must still differ. */
describe('normalisePredicate', () => {
  const written = normalisePredicate(workspacePredicate('workspace_id'));

  it.each([
    ['text', "(workspace_id = NULLIF(current_setting('ydtb.workspace_id'::text, true), ''::text))"],
    ['varchar(256)', "((workspace_id)::text = NULLIF(current_setting('ydtb.workspace_id'::text, true), ''::text))"],
    ['a quoted varchar', `(("workspace_id")::character varying(256) = NULLIF(current_setting('ydtb.workspace_id'::text, true), ''::text))`],
  ])('should read the deparsed policy of a %s column as the one written', (_type, deparsed) => {
    expect(normalisePredicate(deparsed)).toBe(written);
  });

  it.each([
    ['another column', "((owner_id)::text = NULLIF(current_setting('ydtb.workspace_id'::text, true), ''::text))"],
    ['a function of the column', "(lower((workspace_id)::text) = NULLIF(current_setting('ydtb.workspace_id'::text, true), ''::text))"],
    ['a cast to another type', "((workspace_id)::integer = (NULLIF(current_setting('ydtb.workspace_id'::text, true), ''::text))::integer)"],
    ['an OR that widens it', "(((workspace_id)::text = NULLIF(current_setting('ydtb.workspace_id'::text, true), ''::text)) OR true)"],
  ])('should still tell %s from the policy written', (_what, altered) => {
    expect(normalisePredicate(altered)).not.toBe(written);
  });
});
