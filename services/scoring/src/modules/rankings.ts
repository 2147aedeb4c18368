/** The year's ranking tables per target as XLSX and PDF, read from the assessments. */
import { registerRankingRoutes } from '../adapters/http/rankings.js';
import { assessmentModel, indicatorSystemModel } from '../adapters/mongo/evaluation-models.js';
import { MongoIndicatorSystems } from '../adapters/mongo/indicator-system-reader.js';
import { MongoRankingSource } from '../adapters/mongo/ranking-source.js';
import { DirectoryPlaces } from '../adapters/registration/places.js';
import { exportRankings } from '../application/rankings/export-rankings.js';
import type { Module } from '../platform.js';

export const rankingsModule: Module = (platform) => {
  const { mongo, http, clock } = platform;
  registerRankingRoutes(http, {
    exportRankings: exportRankings({
      source: new MongoRankingSource(assessmentModel(mongo)),
      systems: new MongoIndicatorSystems(indicatorSystemModel(mongo)),
      places: new DirectoryPlaces(platform.jurisdictions),
      clock,
    }),
  });
};
