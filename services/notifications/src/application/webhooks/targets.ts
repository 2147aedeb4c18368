/**
 * Whether a webhook URL may be called, checked when it is saved and again
 * before every call (a host may resolve elsewhere by then: DNS rebinding);
 * the call then goes to the address checked.
 */
import { isIP } from 'node:net';
import { addressProblem, urlProblem, type TargetPolicy } from '../../domain/webhooks.js';
import {
  SUBSCRIPTION_TARGET_FORBIDDEN,
  SUBSCRIPTION_URL_INVALID,
  webhooksErrors,
} from './errors.js';
import type { HostResolver } from './ports.js';

export type TargetCheck =
  | { readonly ok: true; readonly address: string }
  | { readonly ok: false; readonly code: string; readonly reason: string };

const hostOf = (url: URL): string => url.hostname.replace(/^\[(.*)\]$/, '$1');

export async function checkTarget(
  raw: string,
  policy: TargetPolicy,
  resolver: HostResolver,
): Promise<TargetCheck> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, code: SUBSCRIPTION_URL_INVALID, reason: 'not an absolute URL' };
  }
  const problem = urlProblem(url, policy);
  if (problem !== undefined) return { ok: false, code: SUBSCRIPTION_URL_INVALID, reason: problem };
  const host = hostOf(url);
  let addresses: string[];
  try {
    addresses = isIP(host) === 0 ? await resolver.resolve(host) : [host];
  } catch {
    addresses = [];
  }
  const refused = addressProblem(addresses, policy);
  if (refused !== undefined) {
    return { ok: false, code: SUBSCRIPTION_TARGET_FORBIDDEN, reason: refused };
  }
  return { ok: true, address: addresses[0] as string };
}

/** `checkTarget`, refusing with the slice's error when the URL may not be saved. */
export async function requireTarget(
  raw: string,
  policy: TargetPolicy,
  resolver: HostResolver,
): Promise<void> {
  const check = await checkTarget(raw, policy, resolver);
  if (!check.ok) {
    const code = check.code as typeof SUBSCRIPTION_URL_INVALID;
    throw webhooksErrors.error(code, `The webhook URL may not be used: ${check.reason}.`);
  }
}
