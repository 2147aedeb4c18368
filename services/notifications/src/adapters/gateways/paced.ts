/**
 * What every channel's gateway shares: the provider quota (taken from Redis,
 * so every replica together stays under it), one outcome per message in
 * order, metrics, and logs that name delivery ids and codes, never addresses.
 */
import type { Logger } from '@learning/logger';
import type { PerSecondQuota } from '@learning/redis';
import pLimit from 'p-limit';
import type { ChannelGateway, OutboundMessage, SendOutcome } from '../../application/ports.js';
import type { GatewayMetrics } from '../metrics/gateways.js';
import { failed } from './outcomes.js';

export type ExternalChannel = ChannelGateway['channel'];

/** Hands one message to the provider; a refusal is an outcome, not a rejection. */
export type SendOne = (message: OutboundMessage) => Promise<SendOutcome>;

export interface PacingDeps {
  readonly quota: Pick<PerSecondQuota, 'take'>;
  readonly metrics: GatewayMetrics;
  readonly logger: Logger;
  /** How long a batch waits for its next turn under the quota before what is left fails RATE_LIMITED (retryable). */
  readonly maxQuotaWaitMs: number;
  readonly sleep?: (ms: number) => Promise<void>;
}

/**
 * Messages in flight at once per batch: a second's whole quota at once would
 * open that many connections and let the slowest pass the timeout (measured:
 * 500 at once on a loaded machine timed one in ten out).
 */
const IN_FLIGHT = 32;

const sleepFor = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export function pacedGateway(
  channel: ExternalChannel,
  sendOne: SendOne,
  deps: PacingDeps,
): ChannelGateway {
  const sleep = deps.sleep ?? sleepFor;
  const logger = deps.logger.child({ channel });

  const sendObserved = async (message: OutboundMessage): Promise<SendOutcome> => {
    const started = performance.now();
    let outcome: SendOutcome;
    try {
      outcome = await sendOne(message);
    } catch (error) {
      // A fault of ours or the library's, not the provider's answer: retrying may help, and the log says why.
      logger.error({ deliveryId: message.deliveryId, err: error }, 'sending failed unexpectedly');
      outcome = failed(message.deliveryId, 'GATEWAY_UNAVAILABLE');
    }
    deps.metrics.sent(channel, outcome, (performance.now() - started) / 1000);
    if (outcome.status === 'failed') {
      logger.warn(
        { deliveryId: outcome.deliveryId, code: outcome.code, retryable: outcome.retryable },
        'message not handed over',
      );
    }
    return outcome;
  };

  return {
    channel,
    async send(messages) {
      const outcomes: SendOutcome[] = [];
      // The wait is bounded per turn, not per batch: a large batch slows down but fails only when starved.
      let waitedSince = Date.now();
      while (outcomes.length < messages.length) {
        const left = messages.slice(outcomes.length);
        let grant;
        try {
          grant = await deps.quota.take(channel, left.length);
        } catch (error) {
          // Without the shared count we cannot know the provider's quota is kept: hold back, retry later.
          logger.error(
            { err: error, messages: left.length },
            'the provider quota could not be read',
          );
          outcomes.push(
            ...left.map((message) => failed(message.deliveryId, 'GATEWAY_UNAVAILABLE')),
          );
          break;
        }
        if (grant.granted === 0) {
          if (Date.now() + grant.msUntilNextSecond - waitedSince > deps.maxQuotaWaitMs) {
            logger.warn(
              { messages: left.length },
              'the provider quota stayed spent: left for later',
            );
            outcomes.push(...left.map((message) => failed(message.deliveryId, 'RATE_LIMITED')));
            break;
          }
          await sleep(grant.msUntilNextSecond);
          continue;
        }
        deps.metrics.waitedForQuota(channel, (Date.now() - waitedSince) / 1000);
        const inFlight = pLimit(IN_FLIGHT);
        const granted = left.slice(0, grant.granted);
        outcomes.push(
          ...(await Promise.all(granted.map((message) => inFlight(() => sendObserved(message))))),
        );
        waitedSince = Date.now();
      }
      return outcomes;
    },
  };
}
