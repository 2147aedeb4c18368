/** The campaign office's rule book: credit rules, their versions and retirements, and the public list. */
import { chinaDateOf } from '@learning/domain';
import { publicMaxAgeSeconds } from '@learning/http';
import { PublicPageCache } from '@learning/redis';
import { registerRulesRoutes } from '../adapters/http/rules.js';
import { RedisRuleBookLock } from '../adapters/redis/rule-book-lock.js';
import { MongoRuleRepository } from '../adapters/mongo/rule-store.js';
import { ruleRecordModel } from '../adapters/mongo/rules.js';
import { addVersion } from '../application/rules/add-version.js';
import { createRule } from '../application/rules/create-rule.js';
import { getRule } from '../application/rules/get-rule.js';
import { listRules } from '../application/rules/list-rules.js';
import { publicRules } from '../application/rules/public-rules.js';
import { retireRule } from '../application/rules/retire-rule.js';
import type { Module } from '../platform.js';

/** The rule book's write lock's name in Redis, per deployment (its database). */
export const ruleBookLockName = (database: string): string => `credit-rules-${database}`;

export const rulesModule: Module = (platform) => {
  const { mongo, redis, config, logger, http, audit, clock } = platform;
  const model = ruleRecordModel(mongo);
  // The rule documents' outbox carries the audit records of the office's changes.
  platform.publishOutboxOf(model);
  const rules = new MongoRuleRepository(model);
  // Named after the database, so two deployments sharing a Redis never serve each other's pages.
  const publicPages = new PublicPageCache(
    redis,
    { name: `public-credit-rules-${config.MONGODB_DATABASE}`, ttlMs: config.PUBLIC_CACHE_TTL_MS },
    logger,
  );
  const lock = new RedisRuleBookLock(redis, ruleBookLockName(config.MONGODB_DATABASE));
  const deps = { rules, lock, publicPages, audit, clock };
  registerRulesRoutes(http, {
    createRule: createRule(deps),
    addVersion: addVersion(deps),
    retireRule: retireRule(deps),
    getRule: getRule(rules),
    listRules: listRules(rules),
    publicRules: publicRules(rules, clock),
    today: () => chinaDateOf(clock()),
    publicPages,
    publicMaxAgeSeconds: publicMaxAgeSeconds(config.PUBLIC_CACHE_TTL_MS),
  });
};
