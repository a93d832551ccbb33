// The sign-in page. Demo mode: one select of the demo people grouped by role (residents by role and
// unit only). Token mode: a field to paste a token; behind the city's single sign-on this page is not
// reached at all, since the proxy sends the token with every request.
import type { WorkbenchContext } from '../context.js';
import type { DemoSignInPerson } from '../deps.js';
import { workbenchBase } from '../http/session.js';
import { CsrfField, roleLabel, WorkbenchLayout } from '../layout.js';

const roleOrder = [
  'office',
  'secretary',
  'department_handler',
  'grid_worker',
  'member',
  'resident',
  'enterprise',
  'auditor',
];

/** "领导小组办公室 · 胶州市 · 朱荣丹": the role in the page's language, then the demo label's unit and name. */
const personLabel = (ctx: WorkbenchContext, p: DemoSignInPerson) =>
  [roleLabel(ctx, p.role), ...p.label.split(' · ').slice(1)].join(' · ');

export const SignInPage = ({
  ctx,
  people,
  back,
  message,
}: {
  ctx: WorkbenchContext;
  people: readonly DemoSignInPerson[] | null;
  back: string;
  message: 'signedOut' | 'notSignedIn' | 'rejected' | null;
}) => {
  const { m } = ctx;
  const groups = roleOrder
    .map((role) => [role, (people ?? []).filter((p) => p.role === role)] as const)
    .filter(([, list]) => list.length > 0);
  return (
    <WorkbenchLayout ctx={ctx} title={m.signIn.heading}>
      <h1>{m.signIn.heading}</h1>
      {message === 'rejected' && (
        <p class="notice error" role="alert">
          {m.signIn.rejected}
        </p>
      )}
      {message !== null && message !== 'rejected' && <output class="notice">{m.signIn[message]}</output>}
      <form method="post" action={`${workbenchBase}/sign-in`} class="action">
        <CsrfField ctx={ctx} />
        <input type="hidden" name="back" value={back} />
        <fieldset>
          {people !== null ? (
            <>
              <legend>{m.signIn.demoIntro}</legend>
              <p class="field">
                <label for="sign-in-person">{m.signIn.person}</label>
                <select id="sign-in-person" name="personId" required>
                  {groups.map(([role, list]) => (
                    <optgroup label={ctx.labels.role[role] ?? role}>
                      {list.map((p) => (
                        <option value={p.personId}>{personLabel(ctx, p)}</option>
                      ))}
                    </optgroup>
                  ))}
                </select>
              </p>
              <p class="hint">{m.signIn.residentsNote}</p>
            </>
          ) : (
            <>
              <legend>{m.signIn.tokenIntro}</legend>
              <p class="field">
                <label for="sign-in-token">{m.signIn.token}</label>
                <textarea id="sign-in-token" name="token" rows={4} required autocomplete="off" spellcheck={false} />
              </p>
            </>
          )}
          <button type="submit">{m.signIn.submit}</button>
        </fieldset>
      </form>
    </WorkbenchLayout>
  );
};
