/** What a gateway reports for a message it could not hand over, and whether trying again may help. */
import type { SendOutcome } from '../../application/ports.js';

export const SEND_FAILURE_CODES = {
  /** The provider refused the message itself (content, signature, account): the same message would be refused again. */
  GATEWAY_REJECTED: false,
  /** The address does not reach anyone (no such mailbox, not a mobile number, unfollowed the account). */
  ADDRESS_INVALID: false,
  /** The provider did not answer, answered 5xx or a temporary SMTP 4xx: it may take it later. */
  GATEWAY_UNAVAILABLE: true,
  /** Over the provider's quota (ours or theirs): later. */
  RATE_LIMITED: true,
} as const satisfies Record<string, boolean>;

export type SendFailureCode = keyof typeof SEND_FAILURE_CODES;

export const delivered = (deliveryId: string, providerId: string): SendOutcome => ({
  deliveryId,
  status: 'delivered',
  providerId,
});

export const failed = (deliveryId: string, code: SendFailureCode): SendOutcome => ({
  deliveryId,
  status: 'failed',
  code,
  retryable: SEND_FAILURE_CODES[code],
});
