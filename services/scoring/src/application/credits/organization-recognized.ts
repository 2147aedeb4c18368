/**
 * An organization recognized as a learning organization: credited once.
 * The sourceId is the organization's, so even a reinstatement that slipped
 * through as a first recognition could not credit twice.
 */
import { registration } from '@learning/proto';
import { required, storeAndEvaluate, type SourceDeps, type SourceEvent } from './store-fact.js';

export const recordRecognition =
  (deps: SourceDeps) =>
  async ({ id, time, data }: SourceEvent<registration.OrganizationDecided>): Promise<void> => {
    // Older events carry no `reinstatement`: a recognition out of suspension is one all the same.
    if (
      data.reinstatement ||
      data.fromStatus === registration.OrganizationStatus.ORGANIZATION_STATUS_SUSPENDED
    )
      return;
    const organizationId = required(data.organizationId, 'the organization recognized');
    const occurredAt = data.decidedAt ?? new Date(time);
    await storeAndEvaluate(deps, {
      sourceId: `recognition:${organizationId}`,
      source: 'organization_recognized',
      holder: { kind: 'organization', id: organizationId },
      sourceEventId: id,
      occurredAt,
      jurisdictionPath: data.routing?.jurisdictionPath ?? [],
      organizationIds: [organizationId],
      title: '学习型组织认定',
    });
  };
