/**
 * Sign-in with the city's OpenID provider (locally the stack's, at /oidc on
 * the same origin): authorization code with PKCE through oidc-client-ts. The
 * library loads only when someone signs in or already has: the public pages'
 * first download stays within the budget.
 */
import type { User, UserManager } from 'oidc-client-ts';

export const CLIENT_ID = 'learning-portal';
const authority = (): string => `${window.location.origin}/oidc`;
/** Where oidc-client-ts keeps the signed-in user: gone when the tab closes. */
const storedUserKey = (): string => `oidc.user:${authority()}:${CLIENT_ID}`;

let manager: Promise<UserManager> | undefined;

function userManager(): Promise<UserManager> {
  manager ??= import('oidc-client-ts').then(
    ({ UserManager, WebStorageStateStore }) =>
      new UserManager({
        authority: authority(),
        client_id: CLIENT_ID,
        redirect_uri: `${window.location.origin}/auth/callback`,
        post_logout_redirect_uri: `${window.location.origin}/`,
        response_type: 'code',
        scope: 'openid profile',
        userStore: new WebStorageStateStore({ store: window.sessionStorage }),
      }),
  );
  return manager;
}

/** Whether this tab holds a sign-in, without loading the library. */
export function maybeSignedIn(): boolean {
  return window.sessionStorage.getItem(storedUserKey()) !== null;
}

/** The access token to send as Bearer, or null for a visitor or an expired sign-in. */
export async function accessToken(): Promise<string | null> {
  if (!maybeSignedIn()) return null;
  const user = await (await userManager()).getUser();
  return user === null || user.expired === true ? null : user.access_token;
}

/** Leaves for the provider's sign-in page; comes back to `returnTo` after the callback. */
export async function signIn(returnTo: string): Promise<void> {
  await (await userManager()).signinRedirect({ state: { returnTo } });
}

/** Finishes the code exchange on /auth/callback; says where the person was going. */
export async function completeSignIn(): Promise<string> {
  const user: User = await (await userManager()).signinRedirectCallback();
  const state = user.state as { returnTo?: unknown } | undefined;
  return typeof state?.returnTo === 'string' && state.returnTo.startsWith('/')
    ? state.returnTo
    : '/';
}

export async function signOut(): Promise<void> {
  await (await userManager()).signoutRedirect();
}

/** The signed-in person's display name from the ID token, or null. */
export async function displayName(): Promise<string | null> {
  if (!maybeSignedIn()) return null;
  const user = await (await userManager()).getUser();
  if (user === null || user.expired === true) return null;
  return user.profile.name ?? user.profile.preferred_username ?? null;
}
