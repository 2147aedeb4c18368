/** The audit records of the office's award writes (no personal data: ids, categories, counts). */
import { actorOf, type AuditTrail } from '@learning/audit';
import { CITY_WIDE_PATH, type Principal } from '@learning/auth';
import type { OutboxEntry } from '@learning/events';
import { formatYuan } from '@learning/domain';
import type { AwardRound } from './ports.js';

const roundView = (round: AwardRound) => ({
  year: round.year,
  category: round.category,
  organizationKind: round.organizationKind,
  title: round.title,
  nominationsClose: round.nominationsClose,
  places: round.places,
  materialAwardYuan: formatYuan(round.materialAwardFen),
  fundingLineId: round.fundingLineId,
  status: round.status,
});

export function roundAudit(
  audit: AuditTrail,
  principal: Principal,
  action: 'award_round.create' | 'award_round.publish',
  before: AwardRound | null,
  after: AwardRound,
): OutboxEntry {
  return audit.entry({
    actor: actorOf(principal),
    action,
    entityType: 'award_round',
    entityId: after.id,
    jurisdictionPath: CITY_WIDE_PATH,
    before: before === null ? null : roundView(before),
    after: roundView(after),
  });
}

export function grantAudit(
  audit: AuditTrail,
  principal: Principal,
  award: {
    id: string;
    nominationId: string;
    roundId: string;
    place: number;
    materialAwardFen: number;
  },
): OutboxEntry {
  return audit.entry({
    actor: actorOf(principal),
    action: 'award.grant',
    entityType: 'award',
    entityId: award.id,
    jurisdictionPath: CITY_WIDE_PATH,
    before: null,
    after: {
      nominationId: award.nominationId,
      roundId: award.roundId,
      place: award.place,
      materialAwardYuan: formatYuan(award.materialAwardFen),
    },
  });
}
