/** The systems as officers, organizations, experts and the public read them: one at its current or a past version, or a page. */
import { systemAt } from './deps.js';
import { versionNotFound } from './errors.js';
import type {
  IndicatorSystemRepository,
  PastVersion,
  StoredIndicatorSystem,
  SystemPage,
  SystemQuery,
} from './ports.js';

export interface SystemAtVersion {
  readonly system: StoredIndicatorSystem;
  /** The past version asked for; null when the current one was. */
  readonly past: PastVersion | null;
}

export type GetSystem = (id: string, version?: number) => Promise<SystemAtVersion>;

export const getSystem =
  (systems: IndicatorSystemRepository): GetSystem =>
  async (id, version) => {
    const system = await systemAt(systems, id, undefined);
    if (version === undefined || version === system.version) return { system, past: null };
    const past = system.history.find((entry) => entry.version === version);
    if (past === undefined) throw versionNotFound(version);
    return { system, past };
  };

export type ListSystems = (query: SystemQuery) => Promise<SystemPage>;

export const listSystems =
  (systems: IndicatorSystemRepository): ListSystems =>
  (query) =>
    systems.list(query);
