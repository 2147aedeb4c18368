/** What the audit log keeps of series and forums (no personal data), and how a change is recorded. */
import { actorOf, type AuditTrail } from '@learning/audit';
import { CITY_WIDE_PATH, type Principal } from '@learning/auth';
import type { OutboxEntry } from '@learning/events';
import type { StoredForum, StoredSeries } from './ports.js';

type Series = Omit<StoredSeries, 'version'>;
type Forum = Omit<StoredForum, 'version'>;

export const seriesAuditView = (series: Series) => ({
  name: series.name,
  description: series.description,
  ownerDepartment: series.ownerDepartment,
});

export const forumAuditView = (forum: Forum) => ({
  seriesId: forum.seriesId,
  name: forum.name,
  description: forum.description,
  managerSubjects: [...forum.managerSubjects],
  targetTiers: [...forum.targetTiers],
  categories: [...forum.categories],
  leadDepartment: forum.leadDepartment,
  status: forum.status,
});

export function catalogueAudit(
  audit: AuditTrail,
  principal: Principal,
  action: string,
  entity: { readonly type: 'series' | 'forum'; readonly id: string },
  before: unknown,
  after: unknown,
): OutboxEntry {
  return audit.entry({
    actor: actorOf(principal),
    action,
    entityType: entity.type,
    entityId: entity.id,
    jurisdictionPath: CITY_WIDE_PATH,
    before,
    after,
  });
}
