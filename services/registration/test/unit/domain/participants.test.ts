import { describe, expect, it } from 'vitest';
import {
  ageOn,
  changedFields,
  chinaDateOf,
  consentsAfter,
  consentsToAnyChannel,
  NO_CHANNEL_CONSENTS,
  parseWechatOpenId,
  normalizeEmployer,
  normalizeName,
  registrationOutcome,
  type CorrectableFields,
  maskIdNumber,
  maskPhone,
  parseIdNumber,
  parseMobilePhone,
} from '../../../src/domain/participants.js';
import { refusalOf } from '@learning/testing';

const today = '2025-06-01';

describe('parseIdNumber', () => {
  it('when the number is valid, then it is returned with its birth date', () => {
    expect(parseIdNumber('110101201508151239', today)).toEqual({
      idNumber: '110101201508151239',
      birthDate: '2015-08-15',
    });
  });

  it('when the check character is a lower-case x with spaces around, then it is normalized', () => {
    expect(parseIdNumber(' 11010519491231002x ', today)).toEqual({
      idNumber: '11010519491231002X',
      birthDate: '1949-12-31',
    });
  });

  it('when the number has the wrong length or characters, then the format is refused', () => {
    for (const raw of [
      '',
      '11010120150815123',
      '1101012015081512399',
      '11010120150815123A',
      'X10101201508151239',
      '110101150815123',
    ]) {
      expect(refusalOf(() => parseIdNumber(raw, today)).code).toBe('ID_NUMBER_FORMAT');
    }
  });

  it('when one digit is mistyped, then the check character catches it', () => {
    expect(refusalOf(() => parseIdNumber('110101201508152239', today)).code).toBe(
      'ID_NUMBER_CHECK_DIGIT',
    );
    expect(refusalOf(() => parseIdNumber('110101201508151238', today)).code).toBe(
      'ID_NUMBER_CHECK_DIGIT',
    );
  });

  it('when the check digit is right but the birth date is impossible, then the birth date is refused', () => {
    // 2023 is not a leap year; month 13 does not exist; 1899 is before any living resident.
    for (const raw of ['110101202302290019', '110101202313010019', '11010118991231001X']) {
      expect(refusalOf(() => parseIdNumber(raw, today)).code).toBe('ID_NUMBER_BIRTH_DATE');
    }
  });

  it('when the birth date is after today, then it is refused; on today itself it is accepted', () => {
    expect(refusalOf(() => parseIdNumber('110101202601010013', today)).code).toBe(
      'ID_NUMBER_BIRTH_DATE',
    );
    expect(parseIdNumber('110101202601010013', '2026-01-01').birthDate).toBe('2026-01-01');
  });

  it('when 29 February of a leap year or 1 January 1900 is the birth date, then it is accepted', () => {
    expect(parseIdNumber('440304200002291017', today).birthDate).toBe('2000-02-29');
    expect(parseIdNumber('110101190001010014', today).birthDate).toBe('1900-01-01');
  });

  it('when refused, then the message does not repeat the number', () => {
    const error = refusalOf(() => parseIdNumber('110101201508152239', today));
    expect(error.kind).toBe('invalid_argument');
    expect(error.message).not.toContain('1101012015');
  });
});

describe('parseMobilePhone', () => {
  it('when typed plainly, with separators or with a +86 / 0086 prefix, then the 11 digits come back', () => {
    for (const raw of [
      '13800138000',
      '138 0013 8000',
      '138-0013-8000',
      '+8613800138000',
      '0086 138 0013 8000',
    ]) {
      expect(parseMobilePhone(raw)).toBe('13800138000');
    }
  });

  it('when every second digit from 3 to 9 is used, then it is accepted', () => {
    for (const second of [3, 4, 5, 6, 7, 8, 9]) {
      expect(parseMobilePhone(`1${second}800138000`)).toBe(`1${second}800138000`);
    }
  });

  it('when the number is too short, too long, not starting 13–19, or has letters, then it is refused without echoing it', () => {
    for (const raw of [
      '1380013800',
      '138001380001',
      '12800138000',
      '23800138000',
      '1380013800a',
      '+8512800138000',
      '',
    ]) {
      const error = refusalOf(() => parseMobilePhone(raw));
      expect(error.code).toBe('PHONE_FORMAT');
      expect(error.message).not.toContain('138');
    }
  });
});

describe('masking', () => {
  it('when a phone is masked, then 3 + **** + 4 remain', () => {
    expect(maskPhone('13800138000')).toBe('138****8000');
  });

  it('when an ID number is masked, then the region code and last 4 remain and the birth date is hidden', () => {
    expect(maskIdNumber('11010519491231002X')).toBe('110105********002X');
  });

  it('when a value is too short to hide anything, then all of it is masked', () => {
    expect(maskPhone('1234567')).toBe('*******');
    expect(maskIdNumber('1234567890')).toBe('**********');
    expect(maskPhone('')).toBe('');
  });

  it('when a value is one character longer than what is kept, then exactly one character is hidden', () => {
    expect(maskPhone('12345678')).toBe('123*5678');
  });
});

describe('ageOn', () => {
  it('when the day before, on and after the birthday, then the age turns on the birthday', () => {
    expect(ageOn('2015-08-15', '2025-08-14')).toBe(9);
    expect(ageOn('2015-08-15', '2025-08-15')).toBe(10);
    expect(ageOn('2015-08-15', '2025-12-31')).toBe(10);
  });

  it('when born on 29 February, then the next year is reached on 1 March in common years', () => {
    expect(ageOn('2016-02-29', '2025-02-28')).toBe(8);
    expect(ageOn('2016-02-29', '2025-03-01')).toBe(9);
    expect(ageOn('2016-02-29', '2024-02-29')).toBe(8);
  });

  it('when asked on the birth date itself, then the age is 0', () => {
    expect(ageOn('2025-06-01', '2025-06-01')).toBe(0);
  });
});

describe('chinaDateOf', () => {
  it('when it is 16:00 UTC or later, then it is already the next day in China', () => {
    expect(chinaDateOf(new Date('2025-03-31T15:59:59Z'))).toBe('2025-03-31');
    expect(chinaDateOf(new Date('2025-03-31T16:00:00Z'))).toBe('2025-04-01');
  });
});

describe('normalizeName', () => {
  it('when a name has surrounding and repeated inner spaces, then they are trimmed and collapsed', () => {
    expect(normalizeName('  Li   Ming \t')).toBe('Li Ming');
    expect(normalizeName('王小明')).toBe('王小明');
  });

  it('when a name is blank, too long or holds control or invisible characters, then it is refused', () => {
    for (const raw of ['', '   ', 'a'.repeat(51), 'Li\u0000Ming', 'Li\u200bMing', '\u202eLi']) {
      expect(refusalOf(() => normalizeName(raw)).code).toBe('PARTICIPANT_NAME_INVALID');
    }
    expect(normalizeName('a'.repeat(50))).toHaveLength(50);
  });

  it('when a name is refused, then the message does not repeat it', () => {
    expect(refusalOf(() => normalizeName('x'.repeat(60))).message).not.toContain('xxx');
  });
});

describe('normalizeEmployer', () => {
  it('when the employer is null or blank, then there is none', () => {
    expect(normalizeEmployer(null)).toBeNull();
    expect(normalizeEmployer('   ')).toBeNull();
  });

  it('when the employer is given, then it is trimmed; past 100 characters it is refused', () => {
    expect(normalizeEmployer(' 宁波某某有限公司 ')).toBe('宁波某某有限公司');
    expect(refusalOf(() => normalizeEmployer('e'.repeat(101))).code).toBe('EMPLOYER_INVALID');
  });
});

describe('registrationOutcome', () => {
  const none = { sameIdNumber: null, accountHasRecord: false };

  it('when neither the ID number nor the account is known, then the registration is new', () => {
    expect(registrationOutcome(none, 'sub-1')).toBe('new');
  });

  it('when the same account registered this ID number before, then its record is returned', () => {
    expect(
      registrationOutcome(
        { sameIdNumber: { accountSubject: 'sub-1' }, accountHasRecord: true },
        'sub-1',
      ),
    ).toBe('existing');
  });

  it('when another account holds the ID number, then it is taken', () => {
    expect(
      registrationOutcome(
        { sameIdNumber: { accountSubject: 'sub-2' }, accountHasRecord: false },
        'sub-1',
      ),
    ).toBe('id_number_taken');
  });

  it('when a record without an account holds the ID number, then it is taken, not claimed', () => {
    expect(
      registrationOutcome(
        { sameIdNumber: { accountSubject: null }, accountHasRecord: false },
        'sub-1',
      ),
    ).toBe('id_number_taken');
  });

  it('when the account already has a record under another number, then the account is taken', () => {
    expect(registrationOutcome({ sameIdNumber: null, accountHasRecord: true }, 'sub-1')).toBe(
      'account_taken',
    );
  });
});

describe('changedFields', () => {
  const before: CorrectableFields = {
    name: 'Li Ming',
    phone: 'hash-1',
    email: null,
    wechatOpenId: null,
    language: 'zh-CN',
    notificationsConsent: true,
    notificationConsents: ['sms'],
    employer: null,
    jurisdictionPath: ['330281000000', '330281001000'],
  };

  it('when nothing differs, then no field is named', () => {
    expect(
      changedFields(before, { ...before, jurisdictionPath: [...before.jurisdictionPath] }),
    ).toEqual([]);
  });

  it('when several fields differ, then each is named once in a fixed order', () => {
    expect(
      changedFields(before, {
        ...before,
        jurisdictionPath: ['330281000000', '330281002000'],
        phone: null,
        name: 'Li Hua',
        notificationsConsent: false,
      }),
    ).toEqual(['name', 'phone', 'notificationsConsent', 'jurisdictionPath']);
  });
});

describe('consent per channel', () => {
  const earlier = new Date('2025-01-01T00:00:00Z');
  const now = new Date('2025-06-01T08:00:00Z');
  const smsOnly = { ...NO_CHANNEL_CONSENTS, sms: { given: true, changedAt: earlier } };

  it('when channels are named, then only those change, each stamped now, the others keep their time', () => {
    const after = consentsAfter(smsOnly, { email: true, wechat: false }, now);

    expect(after).toEqual({
      sms: { given: true, changedAt: earlier },
      email: { given: true, changedAt: now },
      wechat: { given: false, changedAt: null },
    });
  });

  it('when the older single answer says yes alone, then SMS is given only if nothing is consented yet', () => {
    expect(consentsAfter(NO_CHANNEL_CONSENTS, { notifications: true }, now).sms).toEqual({
      given: true,
      changedAt: now,
    });
    const emailOnly = { ...NO_CHANNEL_CONSENTS, email: { given: true, changedAt: earlier } };
    expect(consentsAfter(emailOnly, { notifications: true }, now)).toEqual(emailOnly);
  });

  it('when the older single answer says no, then every channel is withdrawn', () => {
    const after = consentsAfter(
      { ...smsOnly, wechat: { given: true, changedAt: earlier } },
      { notifications: false },
      now,
    );

    expect(consentsToAnyChannel(after)).toBe(false);
    expect(after.sms.changedAt).toEqual(now);
    expect(after.wechat.changedAt).toEqual(now);
  });

  it('when the single answer contradicts the channels sent with it, then CONSENT_CONTRADICTORY', () => {
    expect(
      refusalOf(() => consentsAfter(smsOnly, { notifications: false, email: true }, now)).code,
    ).toBe('CONSENT_CONTRADICTORY');
    expect(
      refusalOf(() => consentsAfter(smsOnly, { notifications: true, sms: false }, now)).code,
    ).toBe('CONSENT_CONTRADICTORY');
    expect(
      consentsAfter(smsOnly, { notifications: true, sms: false, email: true }, now).email,
    ).toEqual({ given: true, changedAt: now });
  });
});

describe('parseWechatOpenId', () => {
  it('when an openid of the official account is given, then it is kept, trimmed', () => {
    expect(parseWechatOpenId(' oAbC_123-xyz45678 ')).toBe('oAbC_123-xyz45678');
  });

  it('when it is too short, too long or holds other characters, then WECHAT_OPENID_FORMAT', () => {
    for (const raw of ['short', 'o'.repeat(65), 'oAbC 123 xyz45678', 'oAbC.123@xyz45678'])
      expect(refusalOf(() => parseWechatOpenId(raw)).code).toBe('WECHAT_OPENID_FORMAT');
  });
});
