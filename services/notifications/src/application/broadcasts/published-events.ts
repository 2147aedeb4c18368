/**
 * What's on: an activity published, or a lecture session scheduled, is told
 * to its audience (its target tiers, in the subtree of the place it is held
 * for) as a broadcast. The broadcast's id is the event's id, so a
 * redelivered event creates nothing. Event fan-outs go to the inbox and
 * WeChat only: SMS and email cost the city per message and are kept for
 * what concerns a person directly and the office's announcements.
 */
import { tierMapping } from '@learning/contracts';
import { PermanentEventError, type ConsumedEvent } from '@learning/events';
import type { Tier } from '@learning/domain';
import type { activities, common, lectures } from '@learning/proto';
import type { AudienceCriteria } from '@learning/registration-client';
import type { Channel, NoticeKind, VariableValue } from '../../domain/notices.js';
import type { PlaceNames } from '../reactions/ports.js';
import type { BroadcastStore } from './ports.js';

export const EVENT_FANOUT_CHANNELS: readonly Channel[] = ['inbox', 'wechat'];

export interface PublishedEventDeps {
  readonly broadcasts: BroadcastStore;
  readonly places: PlaceNames;
  readonly clock: () => Date;
  readonly queued: () => void;
}

const tiersOf = (tiers: readonly common.Tier[]): Tier[] =>
  tiers.flatMap((tier) => {
    const known = tierMapping.fromProto(tier);
    return known === undefined ? [] : [known];
  });

/** Everyone at or under the place it is for: the deepest code of its path (none: the whole city). */
const criteriaOf = (tiers: readonly common.Tier[], path: readonly string[]): AudienceCriteria => {
  const place = path.at(-1);
  return {
    tiers: tiersOf(tiers),
    jurisdictionCodes: place === undefined ? [] : [place],
    organizationKinds: [],
  };
};

async function queue(
  deps: PublishedEventDeps,
  event: { readonly id: string; readonly source: string },
  kind: NoticeKind,
  variables: Record<string, VariableValue>,
  criteria: AudienceCriteria,
): Promise<void> {
  const created = await deps.broadcasts.create(
    {
      id: event.id,
      kind,
      variables,
      rendered: {},
      criteria,
      channels: EVENT_FANOUT_CHANNELS,
      sender: `service:${event.source.split('/').at(-1) ?? event.source}`,
      sourceEventId: event.id,
      audienceSize: null,
      createdAt: deps.clock(),
    },
    [],
  );
  if (created) deps.queued();
}

const EPOCH = new Date(0);

/**
 * What a notice says when a name is not known: a citizen reads words, never
 * a code or an id (events published before they carried names have none).
 */
export const UNNAMED = {
  place: '本市',
  venue: '详见活动页面',
  speaker: '特邀专家',
} as const;

/** The name of the place an event is for: the deepest code of its path (none: the whole city). */
const placeNameOf = (places: PlaceNames, path: readonly string[]): Promise<string> => {
  const place = path.at(-1);
  return place === undefined ? Promise.resolve(UNNAMED.place) : places.nameOf(place, UNNAMED.place);
};

const orUnnamed = (name: string, unnamed: string): string => (name.trim() === '' ? unnamed : name);

const speakersOf = (names: readonly string[]): string => {
  const known = names.filter((name) => name.trim() !== '');
  return known.length === 0 ? UNNAMED.speaker : known.join('、');
};

export const fanOutActivityPublished =
  (deps: PublishedEventDeps) =>
  async (event: ConsumedEvent<activities.ActivityPublished>): Promise<void> => {
    const { data } = event;
    if (data.activityId === '')
      throw new PermanentEventError('an ActivityPublished without an activity id');
    await queue(
      deps,
      event,
      'activity.published',
      {
        title: data.title,
        startsAt: data.startsAt ?? EPOCH,
        endsAt: data.endsAt ?? data.startsAt ?? EPOCH,
        venue: orUnnamed(data.venueName, UNNAMED.venue),
        place: await placeNameOf(deps.places, data.jurisdictionPath),
      },
      criteriaOf(data.targetTiers, data.jurisdictionPath),
    );
  };

export const fanOutSessionScheduled =
  (deps: PublishedEventDeps) =>
  async (event: ConsumedEvent<lectures.SessionScheduled>): Promise<void> => {
    const session = event.data.session;
    if (session === undefined)
      throw new PermanentEventError('a SessionScheduled without its session');
    await queue(
      deps,
      event,
      'session.scheduled',
      {
        title: session.title,
        startsAt: session.startsAt ?? EPOCH,
        endsAt: session.endsAt ?? session.startsAt ?? EPOCH,
        venue: orUnnamed(session.venueName, UNNAMED.venue),
        place: await placeNameOf(deps.places, session.jurisdictionPath),
        speaker: speakersOf(session.speakerNames),
      },
      criteriaOf(session.targetTiers, session.jurisdictionPath),
    );
  };
