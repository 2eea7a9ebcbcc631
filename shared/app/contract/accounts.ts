// Staff accounts, sessions and the four-eyes policy. The auth.* operations (except auth.me) are
// for the shells only (web server, Electron main): a signed-in user can never call them.
import { z } from 'zod';
import { op } from './define';
import { RoleSchema } from '../../domain/roles';
import { FourEyesPolicySchema, FourEyesSettingSchema } from '../../domain/four-eyes';

export const UserNameSchema = z.string().trim().min(2, 'user name: at least 2 characters').max(64)
  .regex(/^[a-z0-9][a-z0-9._-]*$/u, 'user name: lower-case letters, digits, ".", "_" or "-"');
const PasswordSchema = z.string().min(12, 'password: at least 12 characters').max(200);
const TokenSchema = z.string().regex(/^[A-Za-z0-9_-]{40,64}$/u, 'token: malformed');

export const UserViewSchema = z.object({
  name: z.string(),
  displayName: z.string().nullable(),
  email: z.string().nullable(),
  role: RoleSchema,
  /** How the user signs in: a password, the identity provider, both, or not yet (a one-time link only). */
  signIn: z.array(z.enum(['password', 'oidc'])),
  disabled: z.boolean(),
  createdAt: z.string(),
});
export type UserView = z.infer<typeof UserViewSchema>;

const SessionOut = z.object({ token: z.string(), expiresAt: z.string(), maxAgeSeconds: z.number().int().positive(), user: UserViewSchema });

export const accountsContract = {
  'users.add': op('command', z.object({
    name: UserNameSchema,
    role: RoleSchema,
    displayName: z.string().trim().min(1).max(200).optional(),
    email: z.string().trim().email().max(254).optional(),
    /** Omitted: a random one is generated and returned once. */
    password: PasswordSchema.optional(),
    /** Link to the identity provider's account (the `sub` claim); or sign in by a verified email claim. */
    oidcSubject: z.string().trim().min(1).max(255).optional(),
    oidcIssuer: z.string().url().max(500).optional(),
    /** No password at all: sign-in only through the identity provider. */
    noPassword: z.boolean().default(false),
  }).strict(), z.object({ user: UserViewSchema, password: z.string().nullable() }), 'Add a staff user (admin).'),
  'users.list': op('query', z.object({}).strict(), z.object({ items: z.array(UserViewSchema) }), 'Staff users and their roles (admin).'),
  'users.disable': op('command', z.object({ name: UserNameSchema }).strict(), UserViewSchema, 'Disable a user and end their sessions (admin).'),
  'users.setRole': op('command', z.object({ name: UserNameSchema, role: RoleSchema }).strict(), UserViewSchema, 'Change a user\'s role (admin).'),
  'users.resetPassword': op('command', z.object({ name: UserNameSchema, password: PasswordSchema.optional() }).strict(),
    z.object({ user: UserViewSchema, password: z.string() }), 'Set a new password (random when omitted, returned once); ends the user\'s sessions (admin).'),
  'auth.login': op('command', z.object({ name: z.string().trim().min(1).max(64), password: z.string().min(1).max(200) }).strict(), SessionOut,
    'Sign in with a password (shells only).'),
  'auth.oidc': op('command', z.object({
    issuer: z.string().url(), subject: z.string().min(1).max(255),
    email: z.string().max(254).optional(), emailVerified: z.boolean().default(false),
  }).strict(), SessionOut, 'Sign in a user the identity provider vouched for (shells only).'),
  'auth.link': op('command', z.object({ name: UserNameSchema, minutes: z.number().int().min(1).max(24 * 60).default(15) }).strict(),
    z.object({ token: z.string(), expiresAt: z.string() }), 'A one-time sign-in link for a user (shells only).'),
  'auth.redeemLink': op('command', z.object({ token: TokenSchema }).strict(), SessionOut, 'Trade a one-time link for a session (shells only).'),
  'auth.session': op('query', z.object({ token: TokenSchema }).strict(), z.object({ user: UserViewSchema, expiresAt: z.string() }),
    'The user of a live session (shells only).'),
  'auth.logout': op('command', z.object({ token: TokenSchema }).strict(), z.object({ ended: z.boolean() }), 'End a session (shells only).'),
  'auth.me': op('query', z.object({}).strict(), z.object({ user: UserViewSchema.nullable(), actor: z.string() }), 'Who is calling.'),
  'fourEyes.get': op('query', z.object({}).strict(), z.object({
    policy: FourEyesPolicySchema,
    effective: z.object({ execute: z.boolean(), deny: z.boolean(), extend: z.boolean() }),
    activeUsers: z.number().int(),
  }), 'The four-eyes policy and whether it applies now.'),
  'fourEyes.set': op('command', z.object({
    execute: FourEyesSettingSchema.optional(), deny: FourEyesSettingSchema.optional(), extend: FourEyesSettingSchema.optional(),
  }).strict(), FourEyesPolicySchema, 'Configure four-eyes per decision: on, off, auto (on with two or more active users) (admin).'),
  'cases.signoff': op('query', z.object({ id: z.string().min(1).max(64) }).strict(), z.object({
    preparedBy: z.array(z.string()),
    verifiedBy: z.array(z.string()),
    approvedBy: z.string().nullable(),
    approvedAt: z.string().nullable(),
    /** Whether executing this case's plan needs a second person now. */
    fourEyes: z.boolean(),
  }), 'Who prepared, verified and approved a case (from the audit log).'),
};
