/**
 * Ready-made tokens for the local stack, one per role a person plays, each
 * scoped to something the demo loaded, written to a file the shell can
 * source (owner-only, like the signing key): the banner names them so the
 * first curl needs no token command.
 */
import { demoAccounts, type DemoAccountSubjects } from './demo-accounts.js';
import { signLocalToken, RUN_DIRECTORY } from './dev-token.js';
import { writePrivateFile } from './private-file.js';

export const ROLE_TOKENS_FILE = `${RUN_DIRECTORY}tokens.env`;
/** Long enough for a working day with the stack. */
export const ROLE_TOKEN_LIFETIME = '12h';

export interface RoleToken {
  /** The shell variable the file sets. */
  readonly variable: string;
  /** What the token may do, for the banner. */
  readonly description: string;
  readonly token: string;
}

/**
 * A token for each demo account that has a banner variable: the same
 * accounts, with the same claims, as people sign in with at the provider.
 */
export async function roleTokens(subjects: DemoAccountSubjects): Promise<RoleToken[]> {
  return Promise.all(
    demoAccounts(subjects).flatMap(({ tokenVariable, description, claims }) =>
      tokenVariable === undefined
        ? []
        : [
            signLocalToken({ ...claims, expires: ROLE_TOKEN_LIFETIME }).then((token) => ({
              variable: tokenVariable,
              description,
              token,
            })),
          ],
    ),
  );
}

/** Writes `export NAME=token` lines, so `source` puts them in the shell. */
export function writeRoleTokens(tokens: readonly RoleToken[], file = ROLE_TOKENS_FILE): void {
  writePrivateFile(
    file,
    tokens.map(({ variable, token }) => `export ${variable}=${token}\n`).join(''),
  );
}
