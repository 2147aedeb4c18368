/** Training programmes: plans with quotas per township and year, launch and close, and progress against the quotas. */
import { registerTrainingProgrammeRoutes } from '../adapters/http/training-programmes.js';
import { programmeModel, traineeModel } from '../adapters/mongo/training-models.js';
import { MongoProgrammeRepository } from '../adapters/mongo/training-programmes.js';
import { MongoTraineeFigures } from '../adapters/mongo/training-progress.js';
import { changeProgramme } from '../application/training/programmes/change-programme.js';
import { createProgramme } from '../application/training/programmes/create-programme.js';
import { getProgrammeProgress } from '../application/training/programmes/progress.js';
import {
  getProgramme,
  listProgrammes,
} from '../application/training/programmes/read-programmes.js';
import { setQuotas } from '../application/training/programmes/set-quotas.js';
import {
  closeProgramme,
  launchProgramme,
} from '../application/training/programmes/status-moves.js';
import type { Module } from '../platform.js';

export const trainingProgrammesModule: Module = (platform) => {
  const { mongo, logger, http, audit, clock, jurisdictions, departments, organizations } = platform;
  const model = programmeModel(mongo);
  platform.publishOutboxOf(model);
  const programmes = new MongoProgrammeRepository(model, logger);
  const trainees = new MongoTraineeFigures(traineeModel(mongo));
  const writes = { programmes, jurisdictions, audit, clock };

  registerTrainingProgrammeRoutes(http, {
    createProgramme: createProgramme({ ...writes, departments, organizations }),
    changeProgramme: changeProgramme(writes),
    launchProgramme: launchProgramme(writes),
    closeProgramme: closeProgramme(writes),
    setQuotas: setQuotas({ ...writes, trainees }),
    getProgramme: getProgramme(writes),
    listProgrammes: listProgrammes({ programmes, jurisdictions, trainees, clock }),
    getProgrammeProgress: getProgrammeProgress({ programmes, jurisdictions, trainees, clock }),
  });
};
