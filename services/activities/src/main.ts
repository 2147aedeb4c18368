/** The activities process. */
import { runService } from '@learning/runtime';
import { activitiesService } from './app.js';
import { loadActivitiesConfig } from './config.js';

await runService(activitiesService, loadActivitiesConfig);
