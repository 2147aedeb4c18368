/**
 * Which template a notice uses: the office's version in use for its kind,
 * channel and language, else the built-in (version 0) in that language; a
 * language with neither falls back to zh-CN, the city's own.
 */
import { builtInTemplate } from '../../domain/built-in-templates.js';
import type { TemplateKey, TemplateText } from '../../domain/templates.js';
import type { TemplateVersion } from './ports.js';

export interface CurrentTemplate extends TemplateText {
  /** The key whose template this is: the one asked, or its zh-CN fallback. */
  readonly key: TemplateKey;
  readonly version: number;
}

/** The version-0 entry of a template's history. */
export const builtInVersion = (key: TemplateKey): CurrentTemplate | undefined => {
  const text = builtInTemplate(key);
  return text === undefined ? undefined : { key, version: 0, ...text };
};

export async function currentTemplate(
  key: TemplateKey,
  headOf: (key: TemplateKey) => Promise<TemplateVersion | null>,
): Promise<CurrentTemplate> {
  const head = await headOf(key);
  if (head !== null) return { key, version: head.version, title: head.title, body: head.body };
  const builtIn = builtInVersion(key);
  if (builtIn !== undefined) return builtIn;
  if (key.language === 'zh-CN')
    throw new TypeError(`${key.kind} has no zh-CN template on ${key.channel}`);
  return currentTemplate({ ...key, language: 'zh-CN' }, headOf);
}
