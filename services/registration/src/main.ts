/** The registration process. */
import { runService } from '@learning/runtime';
import { registrationService } from './app.js';
import { loadRegistrationConfig } from './config.js';

await runService(registrationService, loadRegistrationConfig);
