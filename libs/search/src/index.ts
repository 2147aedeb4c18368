export { documentGrams, MAX_QUERY_GRAMS, queryGrams } from './grams.js';
export { gramsField, holdsAllGrams } from './store.js';
