/** The lectures process. */
import { runService } from '@learning/runtime';
import { lecturesService } from './app.js';
import { loadLecturesConfig } from './config.js';

await runService(lecturesService, loadLecturesConfig);
