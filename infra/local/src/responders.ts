/**
 * Ready-made responders for the recording receiver: an SMS provider and the
 * WeChat template-message API as notifications calls them (request shapes in
 * services/notifications/README.md, "Channels"), each remembering the
 * idempotency keys it accepted so a repeat gets the first answer again and is
 * counted as a repeat, and wrappers that fail or slow down some calls.
 */
import {
  acceptEverything,
  type RecordedRequest,
  type Reply,
  type Responder,
} from './recording-receiver.js';

export interface ProviderPlay {
  readonly respond: Responder;
  /** Each idempotency key accepted (SMS out-id, WeChat client_msg_id) with the message id it was given. */
  readonly accepted: ReadonlyMap<string, string>;
  /** The key of every request that repeated one already accepted, in order of arrival. */
  readonly repeats: readonly string[];
}

/** A mainland mobile number, optionally with the country code. */
const MAINLAND_MOBILE = /^(?:\+?86)?1[3-9]\d{9}$/;

export interface SmsProviderOptions {
  /** The key expected in `Authorization: Bearer <key>`; any (or none) when unset. */
  readonly key?: string;
  /** Numbers refused as invalid although well-formed (an empty number, a landline). */
  readonly invalidNumbers?: readonly string[];
}

interface SmsRequestBody {
  outId: string;
  phoneNumbers: string;
  signName: string;
  content: string;
}

const isSmsRequest = (json: unknown): json is SmsRequestBody => {
  if (typeof json !== 'object' || json === null) return false;
  const body = json as Record<string, unknown>;
  return ['outId', 'phoneNumbers', 'signName', 'content'].every(
    (field) => typeof body[field] === 'string' && body[field] !== '',
  );
};

/**
 * Plays an SMS provider: `POST {outId, phoneNumbers, signName, content}` →
 * 200 `{code: 'OK', message, bizId}`; 401 `UNAUTHORIZED` for a wrong key, 400
 * `isv.INVALID_PARAMETERS` for a malformed body, 400
 * `isv.MOBILE_NUMBER_ILLEGAL` for a number that is not a mobile one.
 */
export function smsProvider(options: SmsProviderOptions = {}): ProviderPlay {
  const accepted = new Map<string, string>();
  const repeats: string[] = [];
  const invalid = new Set(options.invalidNumbers ?? []);
  const respond: Responder = (request) => {
    if (options.key !== undefined && request.headers.authorization !== `Bearer ${options.key}`) {
      return { status: 401, body: { code: 'UNAUTHORIZED', message: 'unknown access key' } };
    }
    const body = request.json;
    if (!isSmsRequest(body)) {
      return {
        status: 400,
        body: {
          code: 'isv.INVALID_PARAMETERS',
          message: 'outId, phoneNumbers, signName and content are required',
        },
      };
    }
    const known = accepted.get(body.outId);
    if (known !== undefined) {
      repeats.push(body.outId);
      return { status: 200, body: { code: 'OK', message: 'OK', bizId: known } };
    }
    if (!MAINLAND_MOBILE.test(body.phoneNumbers) || invalid.has(body.phoneNumbers)) {
      return {
        status: 400,
        body: { code: 'isv.MOBILE_NUMBER_ILLEGAL', message: 'the number is not a mobile number' },
      };
    }
    const bizId = `sms-${String(accepted.size + 1).padStart(8, '0')}`;
    accepted.set(body.outId, bizId);
    return { status: 200, body: { code: 'OK', message: 'OK', bizId } };
  };
  return { respond, accepted, repeats };
}

export interface WechatApiOptions {
  /** The access_token expected in the query; any when unset. */
  readonly accessToken?: string;
  /** Openids of people who unfollowed the account (errcode 43004). */
  readonly unsubscribed?: readonly string[];
  /** Openids the account does not know (errcode 40003). */
  readonly invalid?: readonly string[];
}

interface TemplateMessageBody {
  touser: string;
  template_id: string;
  data: Record<string, unknown>;
  client_msg_id: string;
}

const isTemplateMessage = (json: unknown): json is TemplateMessageBody => {
  if (typeof json !== 'object' || json === null) return false;
  const body = json as Record<string, unknown>;
  return (
    typeof body['touser'] === 'string' &&
    typeof body['template_id'] === 'string' &&
    typeof body['client_msg_id'] === 'string' &&
    typeof body['data'] === 'object' &&
    body['data'] !== null
  );
};

const wechat = (errcode: number, errmsg: string, msgid?: number): Reply => ({
  // WeChat answers 200 whatever happened; errcode tells.
  status: 200,
  body: msgid === undefined ? { errcode, errmsg } : { errcode, errmsg, msgid },
});

/**
 * Plays WeChat's template-message API (`POST
 * /cgi-bin/message/template/send?access_token=…`), with its errcodes: 0 ok,
 * 40001 bad access token, 40003 invalid openid, 43004 not subscribed, 47001
 * malformed body.
 */
export function wechatApi(options: WechatApiOptions = {}): ProviderPlay {
  const accepted = new Map<string, string>();
  const repeats: string[] = [];
  const unsubscribed = new Set(options.unsubscribed ?? []);
  const invalid = new Set(options.invalid ?? []);
  const respond: Responder = (request) => {
    if (
      options.accessToken !== undefined &&
      request.query.get('access_token') !== options.accessToken
    ) {
      return wechat(40001, 'invalid credential, access_token is invalid or not latest');
    }
    const body = request.json;
    if (!isTemplateMessage(body)) return wechat(47001, 'data format error');
    const known = accepted.get(body.client_msg_id);
    if (known !== undefined) {
      repeats.push(body.client_msg_id);
      return wechat(0, 'ok', Number(known));
    }
    if (invalid.has(body.touser)) return wechat(40003, 'invalid openid');
    if (unsubscribed.has(body.touser)) return wechat(43004, 'require subscribe');
    const msgid = 1_000_000 + accepted.size + 1;
    accepted.set(body.client_msg_id, String(msgid));
    return wechat(0, 'ok', msgid);
  };
  return { respond, accepted, repeats };
}

const SERVICE_UNAVAILABLE: Reply = {
  status: 503,
  body: { code: 'ServiceUnavailable', message: 'try again later' },
};

/** Answers the first `count` requests with `failure` (503 unless told), then lets `then` answer. */
export function failFirst(
  count: number,
  then: Responder,
  failure = SERVICE_UNAVAILABLE,
): Responder {
  let failed = 0;
  return (request) => {
    if (failed < count) {
      failed += 1;
      return failure;
    }
    return then(request);
  };
}

/** A small seeded generator (mulberry32): the same seed fails the same calls in every run. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export interface FailFractionOptions {
  /** Between 0 and 1: 0.1 fails about one call in ten. */
  readonly fraction: number;
  readonly seed: number;
  readonly failure?: Reply;
}

/** Fails a seeded `fraction` of the requests with `failure` (503 unless told); `then` answers the rest. */
export function failFraction(options: FailFractionOptions, then: Responder): Responder {
  if (!(options.fraction >= 0 && options.fraction <= 1)) {
    throw new RangeError(`fraction must be between 0 and 1, got ${options.fraction}`);
  }
  const random = seededRandom(options.seed);
  return (request: RecordedRequest) =>
    random() < options.fraction ? (options.failure ?? SERVICE_UNAVAILABLE) : then(request);
}

/** Lets `then` answer, `ms` later. */
export function delayed(ms: number, then: Responder): Responder {
  return async (request) => ({ ...(await then(request)), delayMs: ms });
}

/** Lets the responder of the longest path prefix that matches answer; `otherwise` the rest. */
export function byPath(
  routes: Readonly<Record<string, Responder>>,
  otherwise: Responder = acceptEverything,
): Responder {
  const prefixes = Object.keys(routes).sort((a, b) => b.length - a.length);
  return (request) => {
    const prefix = prefixes.find((candidate) => request.path.startsWith(candidate));
    return (prefix === undefined ? otherwise : (routes[prefix] ?? otherwise))(request);
  };
}
