/**
 * What valid rows become: participants, organizations and memberships, each
 * with its registered/changed event and its audit record (actor: the person
 * who uploaded the file) in its own outbox, exactly as if registered one by
 * one. Records are identified by their natural keys: an imported record's id
 * is derived from the key (the ID number's blind index, the credit code, or
 * kind + jurisdiction + name), so writing a row twice finds the same record.
 */
import { createHash } from 'node:crypto';
import type { AuditTrail } from '@learning/audit';
import { organizationEvents, participantEvents } from '@learning/contracts';
import { newEvent, type OutboxEntry } from '@learning/events';
import type { PiiVault } from '@learning/pii';
import { registration } from '@learning/proto';
import { routeOrganization, type OrganizationKind } from '../../domain/departments.js';
import { isWithin } from '../../domain/jurisdictions.js';
import {
  applicationOf,
  membershipIdOf,
  type MembershipRole,
  type OrganizationStatus,
} from '../../domain/organizations.js';
import {
  consentsAfter,
  maskIdNumber,
  maskPhone,
  NO_CHANNEL_CONSENTS,
} from '../../domain/participants.js';
import type { DepartmentTableRepository } from '../departments/department-table-repository.js';
import { auditViewOf, changeOf, roleOf, routingOf } from '../organizations/events.js';
import type { NewOrganization } from '../organizations/organization-repository.js';
import type { NewParticipant, ProtectedValue } from '../participants/participant-repository.js';
import { sourceToProto, tierToProto } from '../proto-mapping.js';
import { auditView } from '../participants/views.js';
import type { BatchContext, BatchOutcome, RowError, RowSink } from './import-job.js';
import {
  ROW_CODES,
  type MembershipRow,
  type OrganizationRow,
  type ParticipantRow,
} from './rows.js';

/** How one write of a batch went, in the batch's order. */
export type WriteResult = 'created' | 'existing' | 'failed';

export interface NewMembership {
  readonly id: string;
  readonly organizationId: string;
  readonly participantId: string;
  readonly organizationKind: OrganizationKind;
  readonly role: MembershipRole;
  readonly since: Date;
  readonly jurisdictionPath: readonly string[];
}

/** An organization as a membership row needs it. */
export interface OrganizationRef {
  readonly id: string;
  readonly kind: OrganizationKind;
  readonly status: OrganizationStatus;
  readonly leadDepartment: string;
  readonly coDepartments: readonly string[];
  readonly jurisdictionPath: readonly string[];
}

/**
 * Inserts records unless one with the same id or natural key exists: a record
 * that exists is left exactly as it is ('existing'), events and all.
 */
export interface RegistryWriter {
  insertParticipants(
    items: readonly { record: NewParticipant; events: readonly OutboxEntry[] }[],
  ): Promise<WriteResult[]>;
  insertOrganizations(
    items: readonly { organization: NewOrganization; events: readonly OutboxEntry[] }[],
  ): Promise<WriteResult[]>;
  insertMemberships(
    items: readonly { membership: NewMembership; events: readonly OutboxEntry[] }[],
  ): Promise<WriteResult[]>;
  /** Participant ids by ID-number blind index; unknown hashes are left out. */
  participantIdsByHash(hashes: readonly string[]): Promise<Map<string, string>>;
  organizationsByCreditCode(codes: readonly string[]): Promise<Map<string, OrganizationRef>>;
}

/**
 * A UUID (RFC 9562 version 8, the form for application-defined ids) derived
 * from a natural key, so the same key always names the same record.
 */
export function importedIdOf(key: string): string {
  const bytes = createHash('sha256').update(key).digest().subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x80;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function tally(
  rows: readonly { row: number; line: number }[],
  results: readonly WriteResult[],
): BatchOutcome {
  const failures: RowError[] = [];
  let imported = 0;
  let duplicates = 0;
  results.forEach((result, index) => {
    const row = rows[index];
    if (result === 'created') imported += 1;
    else if (result === 'existing') duplicates += 1;
    else if (row !== undefined)
      failures.push({
        row: row.row,
        line: row.line,
        column: null,
        code: ROW_CODES.writeFailed,
        message: 'could not be stored; import the file again to retry it',
      });
  });
  return { imported, duplicates, failures };
}

export interface SinkDeps {
  readonly writer: RegistryWriter;
  readonly pii: PiiVault;
  readonly audit: AuditTrail;
  readonly tables: DepartmentTableRepository;
}

const protect = (
  pii: PiiVault,
  purpose: string,
  value: string,
  masked: string,
): ProtectedValue => ({
  hash: pii.blindIndex(purpose, value),
  sealed: pii.encrypt(value),
  masked,
});

export function participantSink(deps: SinkDeps): RowSink<ParticipantRow> {
  return {
    async writeBatch(rows, context: BatchContext) {
      const items = rows.map((row) => {
        const idNumber = protect(deps.pii, 'id-number', row.idNumber, maskIdNumber(row.idNumber));
        const record: NewParticipant = {
          id: importedIdOf(`participant\n${idNumber.hash}`),
          accountSubject: null,
          name: row.name,
          tier: row.tier,
          jurisdictionPath: row.jurisdictionPath,
          birthDate: row.birthDate,
          idNumber,
          phone:
            row.phone === null ? null : protect(deps.pii, 'phone', row.phone, maskPhone(row.phone)),
          language: row.language,
          email: null,
          wechatOpenId: null,
          // The registry's single consent answer, read as it always was: SMS.
          consent: {
            notifications: row.notifications,
            updatedAt: context.now,
            channels: consentsAfter(
              NO_CHANNEL_CONSENTS,
              { notifications: row.notifications },
              context.now,
            ),
          },
          employer: row.employer,
          source: 'import',
          createdAt: context.now,
          updatedAt: context.now,
        };
        const events = [
          newEvent(participantEvents.participantRegistered, record.id, {
            participantId: record.id,
            profile: {
              tier: tierToProto(record.tier),
              jurisdictionPath: [...record.jurisdictionPath],
              language: record.language,
              notificationsConsent: record.consent.notifications,
              hasPhone: record.phone !== null,
            },
            source: sourceToProto('import'),
            registeredBy: context.actor.subject,
            registeredAt: context.now,
          }),
          deps.audit.entry({
            actor: context.actor,
            action: 'participant.import',
            entityType: 'participant',
            entityId: record.id,
            jurisdictionPath: record.jurisdictionPath,
            before: null,
            after: auditView({ ...record, version: 1 }),
            reason: `import ${context.jobId}`,
          }),
        ];
        return { record, events };
      });
      return tally(rows, await deps.writer.insertParticipants(items));
    },
  };
}

export function organizationSink(deps: SinkDeps): RowSink<OrganizationRow> {
  return {
    async writeBatch(rows, context: BatchContext) {
      const { table } = await deps.tables.current();
      const items = rows.map((row) => {
        const { lead, coResponsible } = routeOrganization(row.kind, table);
        const key =
          row.creditCode === null
            ? `organization\n${row.kind}\n${row.jurisdictionPath.join('/')}\n${row.name}`
            : `organization\ncredit-code\n${row.creditCode}`;
        const id = importedIdOf(key);
        const organization: Omit<NewOrganization, 'events'> = {
          id,
          kind: row.kind,
          name: row.name,
          creditCode: row.creditCode,
          jurisdictionPath: row.jurisdictionPath,
          leadDepartment: lead,
          coDepartments: coResponsible,
          learningSystem: null,
          status: 'applied',
          history: [applicationOf(context.actor.subject, context.now)],
          createdBy: context.actor.subject,
          createdAt: context.now,
          updatedAt: context.now,
        };
        const events = [
          newEvent(organizationEvents.organizationRegistered, id, {
            organizationId: id,
            routing: routingOf(organization),
            name: organization.name,
            registeredBy: context.actor.subject,
            registeredAt: context.now,
          }),
          deps.audit.entry({
            actor: context.actor,
            action: 'organization.import',
            entityType: 'organization',
            entityId: id,
            jurisdictionPath: organization.jurisdictionPath,
            before: null,
            after: auditViewOf(organization),
            reason: `import ${context.jobId}`,
          }),
        ];
        return { organization: { ...organization, events }, events };
      });
      return tally(rows, await deps.writer.insertOrganizations(items));
    },
  };
}

export function membershipSink(deps: SinkDeps): RowSink<MembershipRow> {
  return {
    async writeBatch(rows, context: BatchContext) {
      const hashOf = new Map(
        rows.map((row) => [row, deps.pii.blindIndex('id-number', row.idNumber)]),
      );
      const [participants, organizations] = await Promise.all([
        deps.writer.participantIdsByHash([...new Set(hashOf.values())]),
        deps.writer.organizationsByCreditCode([...new Set(rows.map((row) => row.creditCode))]),
      ]);
      const failures: RowError[] = [];
      const fail = (row: MembershipRow, column: string, code: string, message: string) =>
        failures.push({ row: row.row, line: row.line, column, code, message });
      const writable: MembershipRow[] = [];
      const items: { membership: NewMembership; events: OutboxEntry[] }[] = [];
      for (const row of rows) {
        const organization = organizations.get(row.creditCode);
        const participantId = participants.get(hashOf.get(row) ?? '');
        if (organization === undefined) {
          fail(
            row,
            'credit_code',
            ROW_CODES.organizationNotFound,
            'names no registered organization',
          );
          continue;
        }
        if (
          !context.reach.cityWide &&
          !isWithin(organization.jurisdictionPath, context.reach.jurisdictions)
        ) {
          fail(
            row,
            'credit_code',
            ROW_CODES.outOfScope,
            'names an organization outside the area you may import into',
          );
          continue;
        }
        if (participantId === undefined) {
          fail(row, 'id_number', ROW_CODES.participantNotFound, 'names no registered participant');
          continue;
        }
        if (organization.status === 'rejected') {
          fail(
            row,
            'credit_code',
            'MEMBERSHIP_ORGANIZATION_CLOSED',
            'names a rejected organization, which takes no members',
          );
          continue;
        }
        const membership: NewMembership = {
          id: membershipIdOf(organization.id, participantId),
          organizationId: organization.id,
          participantId,
          organizationKind: organization.kind,
          role: row.role,
          since: context.now,
          jurisdictionPath: organization.jurisdictionPath,
        };
        writable.push(row);
        items.push({
          membership,
          events: [
            newEvent(organizationEvents.membershipChanged, membership.id, {
              organizationId: organization.id,
              participantId,
              routing: routingOf(organization),
              change: changeOf('joined'),
              role: roleOf(row.role),
              previousRole: registration.MembershipRole.MEMBERSHIP_ROLE_UNSPECIFIED,
              changedBy: context.actor.subject,
              changedAt: context.now,
            }),
            deps.audit.entry({
              actor: context.actor,
              action: 'membership.import',
              entityType: 'membership',
              entityId: membership.id,
              jurisdictionPath: membership.jurisdictionPath,
              before: null,
              after: {
                organizationId: organization.id,
                participantId,
                role: row.role,
                status: 'active',
              },
              reason: `import ${context.jobId}`,
            }),
          ],
        });
      }
      const written = tally(
        writable,
        items.length === 0 ? [] : await deps.writer.insertMemberships(items),
      );
      return { ...written, failures: [...failures, ...written.failures] };
    },
  };
}
