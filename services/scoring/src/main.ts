/** The scoring process. */
import { runService } from '@learning/runtime';
import { scoringService } from './app.js';
import { loadScoringConfig } from './config.js';

await runService(scoringService, loadScoringConfig);
