import { refusalOf } from '@learning/testing';
import { describe, expect, it } from 'vitest';
import {
  assertMayPublish,
  assertStarted,
  validateRecordingUrl,
} from '../../../src/domain/programme.js';

describe('who publishes a session’s record', () => {
  it('when the caller is the office, the forum’s manager or a speaker, then allowed; when none, refused', () => {
    for (const publisher of [
      { office: true, forumManager: false, speaker: false },
      { office: false, forumManager: true, speaker: false },
      { office: false, forumManager: false, speaker: true },
    ])
      expect(() => {
        assertMayPublish(publisher);
      }).not.toThrow();
    expect(
      refusalOf(() => {
        assertMayPublish({ office: false, forumManager: false, speaker: false });
      }).code,
    ).toBe('MATERIAL_FORBIDDEN');
  });
});

describe('the recording', () => {
  it('when the address is https, then it is kept; when http, another scheme or not a URL, then refused', () => {
    expect(validateRecordingUrl('https://video.example/a?b=1')).toBe('https://video.example/a?b=1');
    for (const url of [
      'http://video.example/a',
      'ftp://video.example/a',
      'javascript:alert(1)',
      'not a url',
    ])
      expect(refusalOf(() => validateRecordingUrl(url)).code, url).toBe('RECORDING_URL_NOT_HTTPS');
  });

  it('when the session starts exactly now or began, then a recording may come; a moment before, it may not', () => {
    const start = new Date('2026-05-01T02:00:00Z');
    expect(() => {
      assertStarted(start, start);
    }).not.toThrow();
    expect(
      refusalOf(() => {
        assertStarted(start, new Date(start.getTime() - 1));
      }).code,
    ).toBe('RECORDING_BEFORE_START');
  });
});
