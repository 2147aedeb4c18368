import { AppError } from '@learning/errors';
import { createPiiVault, generatePiiEnvironment, piiKeysFrom } from '@learning/pii';
import { rejectionOf } from '@learning/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  addExpert,
  changeExpert,
  changeOwnExpert,
  retireExpert,
  type AddExpertRequest,
} from '../../../src/application/experts/manage-experts.js';
import {
  getExpert,
  getOwnExpert,
  getPublicExpert,
} from '../../../src/application/experts/read-experts.js';
import { fullView, publicView } from '../../../src/application/experts/views.js';
import { audit, auditPayloads, FakeExperts, participants, principal } from './fakes.js';

const vault = createPiiVault(piiKeysFrom(generatePiiEnvironment()));
const now = new Date('2026-03-01T00:00:00Z');
const admin = principal('admin', ['city_admin']);
const expertLi = principal('li-hua', ['participant', 'expert']);
const expertWang = principal('wang-fang', ['participant', 'expert']);

const codeOf = async (promise: Promise<unknown>): Promise<string> => {
  const error = await rejectionOf(promise);
  if (!(error instanceof AppError)) throw error;
  return error.code;
};

const request = (overrides: Partial<AddExpertRequest> = {}): AddExpertRequest => ({
  accountSubject: 'li-hua',
  displayName: '李华',
  title: '教授',
  employer: '宁波大学',
  fields: ['political_theory'],
  specialties: ['宋韵文化'],
  languages: ['zh-cn', 'en'],
  availability: [
    {
      startsAt: new Date('2026-05-02T01:00:00Z'),
      endsAt: new Date('2026-05-02T09:00:00Z'),
    },
    {
      startsAt: new Date('2026-05-01T01:00:00Z'),
      endsAt: new Date('2026-05-01T09:00:00Z'),
    },
  ],
  travelRadius: 'countryside',
  phone: '+86 139 1234 5678',
  email: 'Li.Hua@NBU.edu.cn',
  ...overrides,
});

describe('the expert pool use cases', () => {
  let experts: FakeExperts;
  let deps: {
    experts: FakeExperts;
    participants: ReturnType<typeof participants>;
    vault: typeof vault;
    audit: typeof audit;
    clock: () => Date;
  };

  beforeEach(() => {
    experts = new FakeExperts();
    deps = {
      experts,
      participants: participants(['li-hua', 'wang-fang']),
      vault,
      audit,
      clock: () => now,
    };
  });

  it('when the office adds a registered person, then the profile is normalized and the contacts sealed', async () => {
    const expert = await addExpert(deps)(admin, request());

    expect(expert).toMatchObject({
      participantId: 'participant-of-li-hua',
      languages: ['zh-CN', 'en'],
      status: 'active',
      version: 1,
    });
    expect(expert.availability.map((window) => window.startsAt.toISOString())).toEqual([
      '2026-05-01T01:00:00.000Z',
      '2026-05-02T01:00:00.000Z',
    ]);
    const stored = JSON.stringify(experts.rows.get(expert.id));
    expect(stored).not.toContain('13912345678');
    expect(stored).not.toContain('Li.Hua');
    expect(fullView(expert, vault)).toMatchObject({
      phone: '13912345678',
      email: 'Li.Hua@nbu.edu.cn',
    });
  });

  it('when the audit record is written, then it holds the contacts masked only', async () => {
    await addExpert(deps)(admin, request());
    const [record] = auditPayloads(experts.entries);
    const text = JSON.stringify(record);

    expect(record?.after).toMatchObject({
      phoneMasked: '139****5678',
      emailMasked: 'L*****@nbu.edu.cn',
    });
    expect(text).not.toContain('13912345678');
    expect(text).not.toContain('Li.Hua@');
  });

  it('when the person is unknown to registration, already in the pool, or the profile breaks a rule, then nothing is stored', async () => {
    await addExpert(deps)(admin, request());

    expect(await codeOf(addExpert(deps)(admin, request({ accountSubject: 'nobody' })))).toBe(
      'EXPERT_PERSON_UNKNOWN',
    );
    expect(await codeOf(addExpert(deps)(admin, request()))).toBe('EXPERT_ALREADY_EXISTS');
    expect(
      await codeOf(
        addExpert(deps)(admin, request({ accountSubject: 'wang-fang', phone: '12345' })),
      ),
    ).toBe('PHONE_FORMAT');
    expect(
      await codeOf(
        addExpert(deps)(admin, request({ accountSubject: 'wang-fang', email: 'wang@' })),
      ),
    ).toBe('EMAIL_FORMAT');
    expect(
      await codeOf(
        addExpert(deps)(admin, request({ accountSubject: 'wang-fang', languages: ['zh_CN'] })),
      ),
    ).toBe('EXPERT_LANGUAGE_INVALID');
    expect(experts.writes).toBe(1);
  });

  it('when an expert edits their own availability and clears their e-mail, then only they change', async () => {
    const expert = await addExpert(deps)(admin, request());
    const changed = await changeOwnExpert(deps)(expertLi, {
      version: 1,
      availability: [
        { startsAt: new Date('2026-06-01T01:00:00Z'), endsAt: new Date('2026-06-01T03:00:00Z') },
      ],
      email: null,
    });

    expect(changed).toMatchObject({ id: expert.id, version: 2, emailSealed: null });
    expect(changed.availability).toHaveLength(1);
    expect(await codeOf(changeOwnExpert(deps)(expertWang, { version: 1, title: 'x' }))).toBe(
      'EXPERT_NOT_FOUND',
    );
    expect(await codeOf(changeOwnExpert(deps)(expertLi, { version: 2 }))).toBe(
      'EXPERT_CHANGE_EMPTY',
    );
    expect(
      await codeOf(
        changeOwnExpert(deps)(expertLi, {
          version: 2,
          availability: [
            {
              startsAt: new Date('2026-06-01T01:00:00Z'),
              endsAt: new Date('2026-06-01T03:00:00Z'),
            },
            {
              startsAt: new Date('2026-06-01T02:00:00Z'),
              endsAt: new Date('2026-06-01T04:00:00Z'),
            },
          ],
        }),
      ),
    ).toBe('EXPERT_AVAILABILITY_OVERLAP');
    expect(experts.rows.get(expert.id)?.version).toBe(2);
  });

  it('when another expert asks for someone’s record, then it is EXPERT_NOT_OWN; the office and the expert read it', async () => {
    const expert = await addExpert(deps)(admin, request());
    await addExpert(deps)(admin, request({ accountSubject: 'wang-fang', displayName: '王芳' }));

    expect(await codeOf(getExpert(deps)(expertWang, expert.id))).toBe('EXPERT_NOT_OWN');
    expect((await getExpert(deps)(expertLi, expert.id)).id).toBe(expert.id);
    expect((await getOwnExpert(deps)(expertLi)).id).toBe(expert.id);
    expect(
      await codeOf(changeExpert(deps)(admin, expert.id, { version: 7, title: '研究员' })),
    ).toBe('VERSION_CONFLICT');
  });

  it('when an expert is retired, then the public no longer finds them and their public view never held contacts', async () => {
    const expert = await addExpert(deps)(admin, request());

    expect(Object.keys(publicView(expert)).sort()).toEqual([
      'displayName',
      'employer',
      'fields',
      'id',
      'languages',
      'specialties',
      'title',
      'travelRadius',
    ]);
    await retireExpert(deps)(admin, expert.id, {});

    expect(await codeOf(getPublicExpert(deps)(expert.id))).toBe('EXPERT_NOT_FOUND');
    expect(await codeOf(retireExpert(deps)(admin, expert.id, {}))).toBe('EXPERT_ALREADY_RETIRED');
  });
});
