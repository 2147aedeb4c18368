import { describe, expect, it } from 'vitest';
import { common, health } from '../../src/index.js';

const community: common.JurisdictionRef = {
  code: '320102001001',
  level: common.JurisdictionLevel.JURISDICTION_LEVEL_COMMUNITY,
  path: ['320100000000', '320102000000', '320102001000'],
};

const registered: common.EventMetadata = {
  id: '01JD6W3ZQ8N4X2K7V9R5T1M0AB',
  source: '/services/registration',
  specVersion: '1.0',
  type: 'learning.registration.v1.participant_registered',
  time: new Date('2025-03-01T08:30:00.123Z'),
  subject: 'participant/42',
  dataSchema: 'learning.registration.v1.ParticipantRegistered',
  correlationId: 'req-7f3a',
};

describe('JurisdictionRef', () => {
  it('when encoded to protobuf bytes and decoded, then the code, level and ancestor path come back', () => {
    const bytes = common.JurisdictionRef.encode(community).finish();
    expect(bytes.length).toBeGreaterThan(0);
    expect(common.JurisdictionRef.decode(bytes)).toEqual(community);
  });

  it('when written as JSON, then the level is its enum name and reading it back restores the ref', () => {
    const json = common.JurisdictionRef.toJSON(community);
    expect(json).toEqual({
      code: '320102001001',
      level: 'JURISDICTION_LEVEL_COMMUNITY',
      path: ['320100000000', '320102000000', '320102001000'],
    });
    expect(common.JurisdictionRef.fromJSON(JSON.parse(JSON.stringify(json)))).toEqual(community);
  });
});

describe('EventMetadata', () => {
  it('when encoded to protobuf bytes and decoded, then every attribute and the time to the millisecond come back', () => {
    const decoded = common.EventMetadata.decode(common.EventMetadata.encode(registered).finish());
    expect(decoded).toEqual(registered);
    expect(decoded.time).toBeInstanceOf(Date);
    expect(decoded.time?.toISOString()).toBe('2025-03-01T08:30:00.123Z');
  });

  it('when written as JSON, then fields are lowerCamelCase with an RFC 3339 time and reading it back restores the Date', () => {
    const json = common.EventMetadata.toJSON(registered);
    expect(json).toEqual({
      id: '01JD6W3ZQ8N4X2K7V9R5T1M0AB',
      source: '/services/registration',
      specVersion: '1.0',
      type: 'learning.registration.v1.participant_registered',
      time: '2025-03-01T08:30:00.123Z',
      subject: 'participant/42',
      dataSchema: 'learning.registration.v1.ParticipantRegistered',
      correlationId: 'req-7f3a',
    });
    expect(common.EventMetadata.fromJSON(JSON.parse(JSON.stringify(json)))).toEqual(registered);
  });

  it('when the time is absent, then it decodes as undefined rather than the epoch', () => {
    const withoutTime: common.EventMetadata = { ...registered, time: undefined };
    const decoded = common.EventMetadata.decode(common.EventMetadata.encode(withoutTime).finish());
    expect(decoded.time).toBeUndefined();
  });
});

describe('Quantity', () => {
  it('when half an hour is sent, then the decimal string arrives unchanged over bytes and JSON', () => {
    const halfHour: common.Quantity = { value: '0.5', unit: common.Unit.UNIT_HOURS };
    expect(common.Quantity.decode(common.Quantity.encode(halfHour).finish())).toEqual(halfHour);
    expect(common.Quantity.toJSON(halfHour)).toEqual({ value: '0.5', unit: 'UNIT_HOURS' });
  });
});

describe('common enums', () => {
  it('when a field is left unset, then its zero value is the *_UNSPECIFIED member', () => {
    expect(common.ContentCategory[0]).toBe('CONTENT_CATEGORY_UNSPECIFIED');
    expect(common.Tier[0]).toBe('TIER_UNSPECIFIED');
    expect(common.OrganizationKind[0]).toBe('ORGANIZATION_KIND_UNSPECIFIED');
    expect(common.JurisdictionLevel[0]).toBe('JURISDICTION_LEVEL_UNSPECIFIED');
    expect(common.Unit[0]).toBe('UNIT_UNSPECIFIED');
    expect(common.Quantity.decode(new Uint8Array()).unit).toBe(common.Unit.UNIT_UNSPECIFIED);
  });
});

describe('grpc.health.v1 Health', () => {
  it('when a server registers the service, then Check and Watch use the standard method paths', () => {
    expect(health.HealthService.check.path).toBe('/grpc.health.v1.Health/Check');
    expect(health.HealthService.check.responseStream).toBe(false);
    expect(health.HealthService.watch.path).toBe('/grpc.health.v1.Health/Watch');
    expect(health.HealthService.watch.responseStream).toBe(true);
  });
});
