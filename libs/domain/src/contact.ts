/**
 * How people are reached, as every service that holds contact data checks
 * it: mainland mobile numbers and e-mail addresses, normalized to the one
 * form that is stored (encrypted) and compared, and masked for the readers
 * who may know that a contact exists but not what it is. Messages never echo
 * the value they reject.
 */
import { invalid } from './errors.js';

export const PHONE_FORMAT = 'PHONE_FORMAT';
export const EMAIL_FORMAT = 'EMAIL_FORMAT';

/**
 * Normalizes a mainland mobile number to its 11 digits: accepts spaces,
 * hyphens and a +86 / 0086 prefix, as people type them.
 */
export function parseMobilePhone(raw: string): string {
  const digits = raw.replace(/[\s-]/g, '').replace(/^(\+86|0086)/, '');
  if (!/^1[3-9]\d{9}$/.test(digits)) {
    throw invalid(PHONE_FORMAT, 'A mobile number has 11 digits and starts with 13 to 19.');
  }
  return digits;
}

/** RFC 5321's limits: the whole path, the local part, one domain label. */
const EMAIL_MAX_LENGTH = 254;
const LOCAL_MAX_LENGTH = 64;
// The dot-atom of RFC 5322 (no quoted local parts: no mail provider here issues them).
const LOCAL_PART = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
// Host names of at least two labels, the last alphabetic (or an IDN's punycode); no IP literals.
const LABEL = /^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$/;
const TOP_LABEL = /^([A-Za-z]{2,63}|xn--[A-Za-z0-9-]{1,59})$/;

/**
 * An e-mail address as it is stored: trimmed, the domain lower-cased (the
 * local part is the mailbox owner's and is kept as typed).
 */
export function parseEmail(raw: string): string {
  const address = raw.trim();
  const at = address.lastIndexOf('@');
  const local = address.slice(0, at);
  const labels = address
    .slice(at + 1)
    .toLowerCase()
    .split('.');
  const valid =
    at > 0 &&
    address.length <= EMAIL_MAX_LENGTH &&
    local.length <= LOCAL_MAX_LENGTH &&
    LOCAL_PART.test(local) &&
    labels.length >= 2 &&
    labels.every((label) => LABEL.test(label)) &&
    TOP_LABEL.test(labels.at(-1) ?? '');
  if (!valid)
    throw invalid(EMAIL_FORMAT, 'An e-mail address is a mailbox name, "@" and a domain name.');
  return `${local}@${labels.join('.')}`;
}

/** `value` with all but `keepStart` and `keepEnd` characters starred; short values wholly. */
export const maskMiddle = (value: string, keepStart: number, keepEnd: number): string =>
  value.length <= keepStart + keepEnd
    ? '*'.repeat(value.length)
    : value.slice(0, keepStart) +
      '*'.repeat(value.length - keepStart - keepEnd) +
      value.slice(-keepEnd);

/** `13800138000` → `138****8000`, the form Chinese services commonly show. */
export const maskPhone = (phone: string): string => maskMiddle(phone, 3, 4);

/** `zhang.san@example.cn` → `z*******@example.cn`: the provider is shown, the mailbox is not. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at <= 0) return '*'.repeat(email.length);
  return `${email.slice(0, 1)}${'*'.repeat(at - 1)}${email.slice(at)}`;
}

/**
 * A person's name as public lists show it: `张三明` → `张*明`, `欧阳娜娜` →
 * `欧**娜`, `张明` → `张*`. Counted in characters as a reader sees them
 * (graphemes), so a rare character outside the BMP is one character.
 */
const graphemes = new Intl.Segmenter('zh', { granularity: 'grapheme' });

export function maskPersonName(name: string): string {
  const characters = Array.from(graphemes.segment(name.trim()), ({ segment }) => segment);
  if (characters.length <= 1) return '*';
  if (characters.length === 2) return `${characters[0]}*`;
  return `${characters[0]}${'*'.repeat(characters.length - 2)}${characters[characters.length - 1]}`;
}
