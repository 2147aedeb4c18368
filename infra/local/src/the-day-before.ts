/**
 * Preloaded (`node --import`) into a service the local stack starts "the day
 * before": its clock runs one day behind, ticking. The stack starts scoring so
 * while the demo writes the campaign office's rule book, then starts it again
 * on today's clock (stack.ts). A rule takes effect tomorrow at the earliest
 * (decision 0016), so rules written yesterday are in force today and the demo
 * city's history of today earns credits, as a city's would the day after the
 * office published its rules; the product's rule is not bent, only this
 * process's calendar. Local stack only: no service image holds this file.
 */
import { DAY_MS } from '@learning/domain';
import timekeeper from 'timekeeper';

timekeeper.travel(new Date(Date.now() - DAY_MS));
// timekeeper's stand-in for Date is a function named FakeDate; mongoose picks a
// schema type by the constructor's name, and `{ type: Date }` must stay a date.
Object.defineProperty(globalThis.Date, 'name', { value: 'Date' });
