/**
 * What the training slice's parts read of each other. Each part keeps its own
 * repository for what it writes (programmes, classes, trainee records); these
 * readers are how the others see them.
 */
import type { Programme, TrainingClass } from '../../domain/training.js';

export interface ProgrammeReader {
  /** The programme, or null when there is none with that id. */
  get(id: string): Promise<Programme | null>;
}

export interface TrainingClassReader {
  /** The class, or null when there is none with that id. */
  get(id: string): Promise<TrainingClass | null>;
}
