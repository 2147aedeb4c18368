import { describe, expect, it } from 'vitest';
import { DomainError } from '../../src/errors.js';
import {
  maskEmail,
  maskPersonName,
  maskPhone,
  parseEmail,
  parseMobilePhone,
} from '../../src/contact.js';

const codeOf = (action: () => unknown): string => {
  try {
    action();
  } catch (error) {
    if (error instanceof DomainError) return error.code;
    throw error;
  }
  throw new Error('expected a refusal');
};

describe('contact data', () => {
  it('when a mobile number is typed with a country prefix, then the 11 digits remain', () => {
    expect(parseMobilePhone('0086 138-0013-8000')).toBe('13800138000');
    expect(codeOf(() => parseMobilePhone('10800138000'))).toBe('PHONE_FORMAT');
  });

  it('when an e-mail address is parsed, then its domain is lower-cased and its mailbox kept', () => {
    expect(parseEmail('Li.Ming+lectures@Mail.NBU.edu.CN')).toBe('Li.Ming+lectures@mail.nbu.edu.cn');
    expect(parseEmail('x@xn--fiqs8s.xn--fiqz9s')).toBe('x@xn--fiqs8s.xn--fiqz9s');
  });

  it.each([
    'a@b',
    'a@b.c',
    'a.@b.cn',
    '.a@b.cn',
    'a@b_c.cn',
    'a@[127.0.0.1]',
    `a@${'b'.repeat(250)}.cn`,
  ])('when the address is %j, then it is EMAIL_FORMAT', (address) => {
    expect(codeOf(() => parseEmail(address))).toBe('EMAIL_FORMAT');
  });

  it('when contacts are masked, then the provider and the phone’s ends show, not the mailbox', () => {
    expect(maskPhone('13800138000')).toBe('138****8000');
    expect(maskEmail('zhang.san@example.cn')).toBe('z********@example.cn');
    expect(maskEmail('broken')).toBe('******');
  });
});

describe('maskPersonName', () => {
  it.each([
    ['张三明', '张*明'],
    ['欧阳娜娜', '欧**娜'],
    ['张明', '张*'],
    ['明', '*'],
    ['  李小龙 ', '李*龙'],
    ['𠀋三明', '𠀋*明'],
  ])('when the name is %j, then the public list shows %j', (name, masked) => {
    expect(maskPersonName(name)).toBe(masked);
  });
});
