/**
 * The seating view of a training class, for registration's owner `training`:
 * the class is the seated event, its sessions each checked in on their own.
 * A public class is for every adult of its programme's area; an enterprise's
 * own class only for that enterprise's members.
 */
import { contentCategoryMapping, tierMapping } from '@learning/contracts';
import { TIERS } from '@learning/domain';
import { seating } from '@learning/proto';
import {
  classMinutesOf,
  firstStartOf,
  lastEndOf,
  sessionMinutesOf,
  signUpWindowOf,
} from '../../domain/training-classes.js';
import type { ClassStatus, Programme } from '../../domain/training.js';
import type { StoredClass } from '../../application/training/classes/ports.js';
import type { ClassReads } from '../../application/training/classes/read-classes.js';
import type { ProgrammeReader } from '../../application/training/ports.js';

const STATUSES: Readonly<Record<ClassStatus, seating.SeatedEventStatus>> = {
  draft: seating.SeatedEventStatus.SEATED_EVENT_STATUS_UNSPECIFIED,
  published: seating.SeatedEventStatus.SEATED_EVENT_STATUS_PUBLISHED,
  under_way: seating.SeatedEventStatus.SEATED_EVENT_STATUS_UNDER_WAY,
  completed: seating.SeatedEventStatus.SEATED_EVENT_STATUS_COMPLETED,
  cancelled: seating.SeatedEventStatus.SEATED_EVENT_STATUS_CANCELLED,
};

/** Training is for adults: every tier but pupils. */
const ADULT_TIERS = TIERS.filter((tier) => tier !== 'pupil');

export function classSeatedEventOf(
  trainingClass: StoredClass,
  programme: Pick<Programme, 'jurisdictionPath'>,
): seating.SeatedEvent {
  const window = signUpWindowOf(trainingClass);
  if (window === null) throw new TypeError(`class ${trainingClass.id} was never published`);
  const { organizer } = trainingClass;
  const organizationId = organizer.kind === 'organization' ? organizer.organizationId : '';
  return {
    eventId: trainingClass.id,
    title: trainingClass.title,
    capacity: trainingClass.capacity ?? undefined,
    signUpOpensAt: window.opensAt,
    signUpClosesAt: window.closesAt,
    startsAt: firstStartOf(trainingClass.sessions),
    endsAt: lastEndOf(trainingClass.sessions),
    audience: {
      targetTiers: ADULT_TIERS.map((tier) => tierMapping.toProto(tier)),
      areaRootCodes: [programme.jurisdictionPath.at(-1) ?? ''],
      pupilAgeBand: undefined,
      organizationIds: trainingClass.public ? [] : [organizationId],
    },
    status: STATUSES[trainingClass.status],
    jurisdictionPath: [...trainingClass.jurisdictionPath],
    organizerOrganizationId: organizationId,
    categories: trainingClass.categories.map((category) =>
      contentCategoryMapping.toProto(category),
    ),
    campaignId: '',
    learningMinutes: classMinutesOf(trainingClass.sessions),
    sessions: trainingClass.sessions.map((session) => ({
      sessionId: session.id,
      startsAt: session.start,
      endsAt: session.end,
      learningMinutes: sessionMinutesOf(session),
    })),
  };
}

/** The seated event of a class that was published; null for drafts and ids that are no class's. */
export const classSeatedEvents =
  (reads: ClassReads, programmes: ProgrammeReader) =>
  async (id: string): Promise<seating.SeatedEvent | null> => {
    const trainingClass = await reads.getSeated(id);
    const programme =
      trainingClass === null ? null : await programmes.get(trainingClass.programmeId);
    return trainingClass === null || programme === null
      ? null
      : classSeatedEventOf(trainingClass, programme);
  };
