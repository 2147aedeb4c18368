/** What the audit log keeps of a template change (the office's own wording: no personal data). */
import { actorOf, type AuditTrail } from '@learning/audit';
import { CITY_WIDE_PATH, type Principal } from '@learning/auth';
import type { OutboxEntry } from '@learning/events';
import { templateIdOf, type TemplateKey } from '../../domain/templates.js';
import type { CurrentTemplate } from './current.js';
import type { TemplateVersion } from './ports.js';

const versionView = (version: Pick<TemplateVersion, 'version' | 'title' | 'body'>) => ({
  version: version.version,
  title: version.title,
  body: version.body,
});

export function templateAudit(
  audit: AuditTrail,
  principal: Principal,
  action: 'notice_template.save' | 'notice_template.restore',
  key: TemplateKey,
  before: CurrentTemplate,
  after: TemplateVersion,
): OutboxEntry {
  return audit.entry({
    actor: actorOf(principal),
    action,
    entityType: 'notice_template',
    entityId: templateIdOf(key),
    jurisdictionPath: CITY_WIDE_PATH,
    before: versionView(before),
    after: { ...versionView(after), restoredFrom: after.restoredFrom },
  });
}
