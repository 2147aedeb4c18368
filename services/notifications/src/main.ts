/** The notifications process. */
import { runService } from '@learning/runtime';
import { notificationsService } from './app.js';
import { loadNotificationsConfig } from './config.js';

await runService(notificationsService, loadNotificationsConfig);
