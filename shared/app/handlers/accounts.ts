// Handlers of the accounts operations (shared/app/contract/accounts.ts): users, sessions and
// one-time links, identity-provider sign-in, the four-eyes policy and a case's sign-off. Every
// change is audited (no password, no token: only who, what and how).
import type { Handlers } from '../api';
import { ApiAuthError, ApiInputError, ApiNotFoundError } from '../api';
import type { accountsContract, UserView } from '../contract/accounts';
import type { AppContext } from '../context';
import type { CaseEngine } from '../engine';
import type { StaffUser } from '../../store/accounts-repo';
import { generatePassword, hashPassword, newToken, verifyPassword } from '../../crypto/passwords';
import { accountsOf, staffActor } from '../accounts/accounts-of';
import { ERASURE_TYPES, caseParticipants, fourEyesEffective, fourEyesPolicy } from '../accounts/four-eyes-gate';

/** A session lasts 12 hours from its last use, never longer than 7 days from sign-in. */
export const SESSION_IDLE_MS = 12 * 3600_000;
export const SESSION_MAX_MS = 7 * 24 * 3600_000;
/** A session's expiry is moved on at most once a minute (not one write per request). */
const TOUCH_EVERY_MS = 60_000;

export function userView(u: StaffUser): UserView {
  const signIn: Array<'password' | 'oidc'> = [];
  if (u.passwordHash) signIn.push('password');
  if (u.oidcSubject || u.email) signIn.push('oidc');
  return { name: u.name, displayName: u.displayName, email: u.email, role: u.role, signIn, disabled: u.disabledAt !== null, createdAt: u.createdAt };
}

export function accountsHandlers(ctx: AppContext, engine: CaseEngine): Handlers<typeof accountsContract> {
  const repo = accountsOf(ctx);
  const now = () => ctx.clock();
  const audit = (actor: string, action: string, detail: Record<string, unknown>) => ctx.audit.append({ caseId: null, actor, action, detail }, now());

  async function mustGet(name: string): Promise<StaffUser> {
    const u = await repo.get(name);
    if (!u) throw new ApiNotFoundError(`no user "${name}"`);
    return u;
  }

  async function openSession(u: StaffUser, via: string) {
    const token = newToken();
    const t = now();
    const expiresAt = new Date(t.getTime() + SESSION_IDLE_MS).toISOString();
    await ctx.db.tx(async () => {
      await repo.addSession(token, { userName: u.name, kind: 'session', via, createdAt: t.toISOString(), expiresAt, lastSeenAt: t.toISOString() });
      await audit(staffActor(u.name), 'auth.signed_in', { via });
    });
    // The cookie lives as long as a session can (the store decides whether it is still valid, by the app's clock).
    return { token, expiresAt, maxAgeSeconds: Math.floor(SESSION_MAX_MS / 1000), user: userView(u) };
  }

  return {
    'users.add': async (input, meta) => {
      if (await repo.get(input.name)) throw new ApiInputError(`name: user "${input.name}" exists already`);
      if (input.oidcSubject && !input.oidcIssuer) throw new ApiInputError('oidcIssuer: needed with oidcSubject (the issuer URL of the identity provider)');
      const password = input.noPassword ? null : (input.password ?? generatePassword());
      const t = now().toISOString();
      const u: StaffUser = {
        name: input.name, displayName: input.displayName ?? null, email: input.email ?? null, role: input.role,
        passwordHash: password ? await hashPassword(password) : null, passwordSetAt: password ? t : null,
        oidcIssuer: input.oidcIssuer ?? null, oidcSubject: input.oidcSubject ?? null, disabledAt: null, createdAt: t, updatedAt: t,
      };
      await ctx.db.tx(async () => {
        await repo.add(u);
        await audit(meta.actor, 'user.added', { name: u.name, role: u.role, password: password !== null, oidc: !!u.oidcSubject, email: !!u.email });
      });
      return { user: userView(u), password: input.password === undefined ? password : null };
    },
    'users.list': async () => ({ items: (await repo.list()).map(userView) }),
    'users.disable': async ({ name }, meta) => {
      const u = await mustGet(name);
      if (meta.user === name) throw new ApiInputError('name: you cannot disable your own account');
      const t = now().toISOString();
      await ctx.db.tx(async () => {
        await repo.update(name, { disabledAt: u.disabledAt ?? t }, t);
        const ended = await repo.revokeAllOf(name, t);
        await audit(meta.actor, 'user.disabled', { name, sessionsEnded: ended });
      });
      return userView(await mustGet(name));
    },
    'users.setRole': async ({ name, role }, meta) => {
      const u = await mustGet(name);
      const t = now().toISOString();
      await ctx.db.tx(async () => {
        await repo.update(name, { role }, t);
        await audit(meta.actor, 'user.role_changed', { name, from: u.role, to: role });
      });
      return userView(await mustGet(name));
    },
    'users.resetPassword': async ({ name, password }, meta) => {
      await mustGet(name);
      const pw = password ?? generatePassword();
      const t = now().toISOString();
      const hash = await hashPassword(pw);
      await ctx.db.tx(async () => {
        await repo.update(name, { passwordHash: hash, passwordSetAt: t }, t);
        const ended = await repo.revokeAllOf(name, t);
        await audit(meta.actor, 'user.password_reset', { name, sessionsEnded: ended });
      });
      return { user: userView(await mustGet(name)), password: pw };
    },
    'auth.login': async ({ name, password }) => {
      const u = await repo.get(name.toLowerCase());
      const ok = await verifyPassword(password, u?.passwordHash ?? null);
      if (!u || !ok || u.disabledAt) {
        await audit('web', 'auth.sign_in_failed', { name: u ? u.name : '(unknown user)', why: !u ? 'unknown user' : u.disabledAt ? 'disabled' : 'wrong password' });
        throw new ApiAuthError('wrong user name or password');
      }
      return openSession(u, 'password');
    },
    'auth.oidc': async ({ issuer, subject, email, emailVerified }) => {
      let u = await repo.byOidc(issuer, subject);
      if (!u && email && emailVerified) {
        const byMail = (await repo.byEmail(email)).filter((x) => !x.oidcSubject);
        if (byMail.length === 1) {
          u = byMail[0]!;
          await repo.update(u.name, { oidcIssuer: issuer, oidcSubject: subject }, now().toISOString());
          await audit(staffActor(u.name), 'user.oidc_linked', { name: u.name, issuer });
        }
      }
      if (!u || u.disabledAt) {
        await audit('web', 'auth.sign_in_failed', { via: 'oidc', issuer, why: u ? 'disabled' : 'no user with this identity (add one: privacy-desk users add NAME --email ... or --oidc-subject ...)' });
        throw new ApiAuthError(u ? 'this account is disabled' : 'no PrivacyDesk user is linked to this identity; ask an admin to add you');
      }
      return openSession(u, 'oidc');
    },
    'auth.link': async ({ name, minutes }, meta) => {
      const u = await mustGet(name);
      if (u.disabledAt) throw new ApiInputError(`name: user "${name}" is disabled`);
      const token = newToken();
      const t = now();
      const expiresAt = new Date(t.getTime() + minutes * 60_000).toISOString();
      await ctx.db.tx(async () => {
        await repo.addSession(token, { userName: name, kind: 'link', via: 'link', createdAt: t.toISOString(), expiresAt, lastSeenAt: t.toISOString() });
        await audit(meta.actor, 'auth.link_issued', { name, expiresAt });
      });
      return { token, expiresAt };
    },
    'auth.redeemLink': async ({ token }) => {
      const t = now().toISOString();
      const link = await repo.session(token, 'link', t);
      const u = link ? await repo.get(link.userName) : null;
      if (!link || !u || u.disabledAt || !(await repo.revoke(token, t))) throw new ApiAuthError('this sign-in link is used, expired or unknown; start the console again for a new one, or sign in');
      return openSession(u, 'link');
    },
    'auth.session': async ({ token }) => {
      const t = now();
      const s = await repo.session(token, 'session', t.toISOString());
      const u = s ? await repo.get(s.userName) : null;
      if (!s || !u || u.disabledAt) throw new ApiAuthError('not signed in (or the session ended)');
      let expiresAt = s.expiresAt;
      if (t.getTime() - Date.parse(s.lastSeenAt) >= TOUCH_EVERY_MS) {
        expiresAt = new Date(Math.min(t.getTime() + SESSION_IDLE_MS, Date.parse(s.createdAt) + SESSION_MAX_MS)).toISOString();
        await repo.touchSession(token, t.toISOString(), expiresAt);
      }
      return { user: userView(u), expiresAt };
    },
    'auth.logout': async ({ token }) => {
      const t = now().toISOString();
      const s = await repo.session(token, 'session', t);
      const ended = await repo.revoke(token, t);
      if (ended && s) await audit(staffActor(s.userName), 'auth.signed_out', {});
      return { ended };
    },
    'auth.me': async (_input, meta) => {
      const u = meta.user !== undefined ? await repo.get(meta.user) : null;
      return { user: u ? userView(u) : null, actor: meta.actor };
    },
    'fourEyes.get': async () => {
      const e = await fourEyesEffective(ctx);
      return { policy: e.policy, effective: { execute: e.execute, deny: e.deny, extend: e.extend }, activeUsers: e.activeUsers };
    },
    'fourEyes.set': async (input, meta) => {
      const policy = { ...(await fourEyesPolicy(ctx)), ...input };
      await ctx.db.tx(async () => {
        await repo.setSetting('four_eyes', JSON.stringify(policy), now().toISOString());
        await audit(meta.actor, 'four_eyes.set', policy);
      });
      return policy;
    },
    'cases.signoff': async ({ id }) => {
      const state = await engine.state(id);
      const who = await caseParticipants(ctx, id);
      const fourEyes = ERASURE_TYPES.has(state.context.type) && (await fourEyesEffective(ctx)).execute;
      return { ...who, fourEyes };
    },
  };
}
