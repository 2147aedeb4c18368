/**
 * Rendering notices as a fan-out or the dispatcher does: --notices renders
 * (every kind, channel and language in turn, with values a notice carries)
 * through the platform's renderer with its cache warm, so what is measured
 * is the CPU per notice (mustache and the Intl formatting), not MongoDB.
 * The store stands in memory and counts its reads: with the cache the whole
 * run reads each template once.
 *
 *   pnpm --filter @learning/notifications bench:templates [--quick] [--notices 200000]
 *
 * --quick renders 20,000 notices. Prints notices/s, µs CPU per notice and the
 * store reads, held to none during the run.
 */
import { parseArgs } from 'node:util';
import { captureLogger, printBenchSummary } from '@learning/testing';
import { MongoTemplateRenderer } from '../src/adapters/mongo/template-renderer.js';
import type {
  TemplateHead,
  TemplateRepository,
  TemplateVersion,
} from '../src/application/templates/ports.js';
import { CHANNELS, NOTICE_KIND_NAMES } from '../src/domain/notices.js';
import { LANGUAGES } from '../src/domain/preferences.js';
import { samplesOf } from '../src/domain/templates.js';

const { values } = parseArgs({
  options: { quick: { type: 'boolean', default: false }, notices: { type: 'string' } },
});
const noticeCount = Number(values.notices ?? (values.quick ? '20000' : '200000'));

/** Nothing saved (every template is its built-in); counts the renderer's reads. */
class CountingStore implements TemplateRepository {
  reads = 0;
  get = () => Promise.resolve(null);
  heads = (): Promise<TemplateHead[]> => Promise.resolve([]);
  head = (): Promise<TemplateVersion | null> => {
    this.reads += 1;
    return Promise.resolve(null);
  };
  append = () => Promise.reject(new Error('the bench saves nothing'));
}

const store = new CountingStore();
const renderer = new MongoTemplateRenderer(
  store,
  { timeZone: 'Asia/Shanghai', ttlMs: 600_000 },
  captureLogger('bench').logger,
);
const keys = NOTICE_KIND_NAMES.flatMap((kind) =>
  CHANNELS.flatMap((channel) =>
    LANGUAGES.map((language) => ({ kind, channel, language, values: samplesOf(kind, language) })),
  ),
);

// Warm: each template read and parsed once, as after a fan-out's first page.
for (const key of keys) await renderer.render(key.kind, key.channel, key.language, key.values);
const warmReads = store.reads;

const cpuBefore = process.cpuUsage();
const started = performance.now();
let characters = 0;
for (let index = 0; index < noticeCount; index += 1) {
  const key = keys[index % keys.length];
  if (key === undefined) throw new Error('no templates');
  const rendered = await renderer.render(key.kind, key.channel, key.language, key.values);
  characters += rendered.body.length;
}
const elapsedMs = performance.now() - started;
const cpu = process.cpuUsage(cpuBefore);

const figures = {
  notices: noticeCount,
  templates: keys.length,
  noticesPerSecond: Math.round((noticeCount * 1000) / elapsedMs),
  cpuMicrosecondsPerNotice: Number(((cpu.user + cpu.system) / noticeCount).toFixed(1)),
  storeReadsWarm: warmReads,
  storeReadsDuringRun: store.reads - warmReads,
  averageBodyCharacters: Math.round(characters / noticeCount),
};
console.log(`${String(noticeCount)} notices over ${String(keys.length)} templates, cache warm:`);
console.log(
  `  ${String(figures.noticesPerSecond)} notices/s, ${String(figures.cpuMicrosecondsPerNotice)} µs CPU a notice`,
);
console.log(
  `  store reads: ${String(warmReads)} to warm, ${String(figures.storeReadsDuringRun)} during the run`,
);
// The README sets no speed goal; the cache must spare the store every read once warm.
printBenchSummary('notifications.templates', figures, { storeReadsDuringRun: { equals: 0 } });
