/** A notice filled in from its template: values formatted for the reader's language and the city's time zone. */
import type { VariableValue } from '../../domain/notices.js';
import { fill, type Formatting } from '../../domain/templates.js';
import type { Rendered } from '../ports.js';
import type { CurrentTemplate } from './current.js';

export interface RenderedNotice extends Rendered {
  /** Variables the template names that were not given: they read as empty. */
  readonly missing: readonly string[];
}

export function renderTemplate(
  template: CurrentTemplate,
  variables: Readonly<Record<string, VariableValue>>,
  formatting: Formatting,
): RenderedNotice {
  const title = fill(template.title, variables, formatting);
  const body = fill(template.body, variables, formatting);
  return {
    title: title.text,
    body: body.text,
    templateVersion: template.version,
    missing: [...new Set([...title.missing, ...body.missing])],
  };
}
