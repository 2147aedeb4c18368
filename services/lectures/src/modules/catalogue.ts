/** The catalogue: the lecture series, their forums and the lecture types. */
import { registerCatalogueRoutes } from '../adapters/http/catalogue.js';
import { forumModel, seriesModel } from '../adapters/mongo/catalogue.js';
import { MongoForumRepository, MongoSeriesRepository } from '../adapters/mongo/catalogue-store.js';
import {
  changeForum,
  createForum,
  getForum,
  getPublicForum,
  listForums,
  listPublicForums,
  reactivateForum,
  retireForum,
} from '../application/catalogue/forums.js';
import {
  changeSeries,
  createSeries,
  getSeries,
  listSeries,
} from '../application/catalogue/series.js';
import type { Module } from '../platform.js';

export const catalogueModule: Module = (platform) => {
  const { mongo, http, audit, clock, departments } = platform;
  const seriesDocuments = seriesModel(mongo);
  const forumDocuments = forumModel(mongo);
  // The outboxes carry the audit records of the office's changes (no catalogue events exist).
  platform.publishOutboxOf(seriesDocuments);
  platform.publishOutboxOf(forumDocuments);
  const series = new MongoSeriesRepository(seriesDocuments);
  const forums = new MongoForumRepository(forumDocuments);
  const forumDeps = { series, forums, departments, audit, clock };

  registerCatalogueRoutes(http, {
    createSeries: createSeries({ series, departments, audit, clock }),
    changeSeries: changeSeries({ series, audit, clock }),
    getSeries: getSeries({ series }),
    listSeries: listSeries({ series }),
    createForum: createForum(forumDeps),
    changeForum: changeForum(forumDeps),
    retireForum: retireForum(forumDeps),
    reactivateForum: reactivateForum(forumDeps),
    getForum: getForum(forumDeps),
    listForums: listForums(forumDeps),
    listPublicForums: listPublicForums(forumDeps),
    getPublicForum: getPublicForum(forumDeps),
  });
};
