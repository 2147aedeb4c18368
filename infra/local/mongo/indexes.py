"""What mongomock lacks to stay fast as collections grow: it answers every query, and checks
every unique index, by testing each stored document. Here, without changing which documents
match or their order (candidates are a superset, each is still tested with mongomock's own
filter, and they come back in the store's order):

- a filter that pins `_id` (a value, `$eq` or `$in`, alone or ANDed with more) looks the
  documents up in the store's dict, which is keyed by `_id`;
- a filter with `{field: {$exists: true}}` on the field of a single-field sparse index looks
  only at the documents holding that field;
- each unique index keeps a hash map from key to documents, so a write checks only the
  documents that may share its key;
- a sorted query with a limit keeps the top documents (heapq) instead of sorting them all.

The maps only grow as documents are written (every insert, and every update that changes a
document, passes through Collection._ensure_uniques, which calls note_written); an entry whose
document changed or went away is dropped when a lookup meets it. When mongomock undoes a write
(a duplicate key) or leaves one half done (any other failure), mongo_standin calls note_stored
or forget_maps, so that every stored document stays listed as it is.
"""

import collections
import functools
import heapq
import itertools
from datetime import datetime

from bson.objectid import ObjectId
from mongomock import helpers
from mongomock.collection import Collection
from mongomock.filtering import (_get_compare_type, filter_applies, iter_key_candidates,
                                 resolve_key, resolve_sort_key)
from mongomock.store import CollectionStore
from sentinels import NOTHING

# Values whose Python equality is what mongomock's filter tests, and whose equal values hash
# alike, so a dict lookup finds every document an equality filter can match. (bool is an int;
# bytes covers bson's Binary.) Lists, subdocuments, regexes and the rest take the slow path.
SCALARS = (str, int, float, bytes, ObjectId, datetime, type(None))

SCAN = Collection._iter_documents  # mongomock's own, for the filters no map serves


class Documents(collections.OrderedDict):
    """mongomock's documents by _id, also numbering each _id when first stored, so documents
    found through a map can be put back in the order a scan would give."""

    def __init__(self):
        self.position = {}
        self.counter = itertools.count()
        super().__init__()

    def __setitem__(self, key, value):
        if key not in self.position:
            self.position[key] = next(self.counter)
        super().__setitem__(key, value)

    def __delitem__(self, key):
        super().__delitem__(key)
        del self.position[key]


def in_store_order(stored, keys):
    """The stored documents under `keys` (duplicates and missing ones left out), in store order."""
    present = [key for key in dict.fromkeys(keys) if key in stored]
    present.sort(key=stored.position.__getitem__)
    return [stored[key] for key in present]


def store_key(doc):
    """How mongomock's store keys a document (a subdocument _id becomes a hashdict)."""
    doc_id = doc['_id']
    return helpers.hashdict(doc_id) if isinstance(doc_id, dict) else doc_id


# --- what a filter pins ---

def pinned_ids(spec):
    """The `_id`s a filter allows at most, or None when it does not pin `_id`."""
    if '_id' in spec:
        condition = spec['_id']
        if isinstance(condition, SCALARS):
            return [condition]
        if isinstance(condition, dict) and condition and all(k.startswith('$') for k in condition):
            if '$eq' in condition and isinstance(condition['$eq'], SCALARS):
                return [condition['$eq']]
            values = condition.get('$in')
            if isinstance(values, list) and all(isinstance(v, SCALARS) for v in values):
                return values
    return next((ids for ids in map(pinned_ids, and_clauses(spec)) if ids is not None), None)


def required_fields(spec):
    """Top-level fields the filter requires to exist, through `$exists: true`."""
    fields = [field for field, condition in spec.items()
              if '.' not in field and not field.startswith('$') and isinstance(condition, dict)
              and condition.get('$exists', False) and all(k.startswith('$') for k in condition)]
    return fields + [field for clause in and_clauses(spec) for field in required_fields(clause)]


def exists_only(spec, field):
    """Whether the filter is {field: {$exists: true}} alone: holding the field is all it asks."""
    return list(spec) == [field] and list(spec[field]) == ['$exists']


def and_clauses(spec):
    clauses = spec.get('$and')
    if not isinstance(clauses, list):
        return []
    return [clause for clause in clauses if isinstance(clause, dict)]


def iter_documents(collection, spec):
    """Replaces Collection._iter_documents, which every find, count, update and delete uses."""
    if not isinstance(spec, dict):
        return SCAN(collection, spec)
    store = collection._store
    ids = pinned_ids(spec)
    present = None
    if ids is None:
        present = next(filter(None, map(maps_of(store).present, required_fields(spec))), None)
        if present is None:
            return SCAN(collection, spec)
    store._remove_expired_documents()  # TTL, as mongomock's document iterator does first
    stored = store._documents
    if not stored:
        filter_applies(spec, {})  # mongomock's scan still rejects a malformed filter
    # A list, as mongomock's scan iterates one: callers update the documents as they go.
    found = in_store_order(stored, ids if present is None else present.holders(stored))
    if present is not None and exists_only(spec, present.field):
        return iter(found)
    return (doc for doc in found if filter_applies(spec, doc))


# --- maps kept per index ---

def index_key(doc, fields):
    """The document's key in the index as a hashable tuple, or None when an equality filter
    could match the document some other way (an array holding the value, a subdocument...)."""
    key = []
    for field in fields:
        candidates = iter_key_candidates(field, doc)
        if len(candidates) != 1:
            return None
        value = candidates[0]
        if value is NOTHING:
            value = None  # a filter for null matches a missing field too
        if not isinstance(value, SCALARS):
            return None
        key.append(value)
    return tuple(key)


class UniqueKeys:
    """For one unique index: the documents holding each key, and (`odd`) those without a
    plain key. Every stored document is listed under its current key, or among `odd`."""

    def __init__(self, index, stored):
        self.index = index  # the index it was built for: a recreated index is a new dict
        self.fields = [field for field, _ in index['key']]
        self.by_key = {}
        self.odd = set()
        self.entries = 0
        for doc in stored.values():
            self.add(doc)

    def add(self, doc):
        key = index_key(doc, self.fields)
        holders = self.odd if key is None else self.by_key.setdefault(key, set())
        size = len(holders)
        holders.add(store_key(doc))
        self.entries += len(holders) - size

    def candidates(self, key, stored):
        """Store keys of the documents that may hold `key` (or have no plain key)."""
        found = []
        for holders, wanted in ((self.by_key.get(key, set()), key), (self.odd, None)):
            for doc_key in list(holders):
                doc = stored.get(doc_key)
                if doc is None or index_key(doc, self.fields) != wanted:
                    holders.discard(doc_key)  # removed, or now listed elsewhere
                    self.entries -= 1
                else:
                    found.append(doc_key)
        if not self.by_key.get(key, True):
            del self.by_key[key]
        return found


class Present:
    """For a single-field sparse index: the documents holding its (top-level) field. Every
    stored document holding it is listed."""

    def __init__(self, index, stored):
        self.index = index
        self.field = index['key'][0][0]
        self.keys = set()
        for doc in stored.values():
            self.add(doc)

    @property
    def entries(self):
        return len(self.keys)

    def add(self, doc):
        if self.field in doc:
            self.keys.add(store_key(doc))

    def holders(self, stored):
        gone = [key for key in self.keys if key not in stored or self.field not in stored[key]]
        self.keys.difference_update(gone)
        return self.keys


class IndexMaps:
    """The maps of one collection's indexes, rebuilt from the documents whenever an index
    was (re)created, or its map holds more stale entries than live ones."""

    def __init__(self, store):
        self.store = store
        self.maps = {}

    def current(self, name, index, kind):
        stored = self.store._documents
        found = self.maps.get(name)
        if found is None or found.index is not index or found.entries > 2 * len(stored) + 1024:
            found = self.maps[name] = kind(index, stored)
        return found

    def unique(self, name, index):
        return self.current(name, index, UniqueKeys)

    def present(self, field):
        for name, index in self.store.indexes.items():
            if has_presence_map(index) and index['key'][0][0] == field:
                return self.current(name, index, Present)
        return None

    def note(self, doc):
        for name, index in self.store.indexes.items():
            if index.get('unique'):
                self.unique(name, index).add(doc)
            if has_presence_map(index):
                self.current(name, index, Present).add(doc)


def has_presence_map(index):
    key = index['key']
    return bool(index.get('sparse')) and len(key) == 1 and '.' not in key[0][0]


def maps_of(store):
    maps = store.__dict__.get('_standin_index_maps')
    if maps is None:
        maps = store.__dict__['_standin_index_maps'] = IndexMaps(store)
    return maps


def note_written(collection, doc):
    """Lists a written document, as it is now, in its collection's maps."""
    maps_of(collection._store).note(doc)


def note_stored(collection, doc_key):
    """Lists a document again as it is stored now (after mongomock undid a write to it)."""
    doc = collection._store._documents.get(doc_key)
    if doc is not None:
        note_written(collection, doc)


def forget_maps(collection):
    """Drops the collection's maps, to be rebuilt from the documents on next use: after a
    write failed halfway (mongomock keeps a partly applied update)."""
    collection._store.__dict__.pop('_standin_index_maps', None)


def count_key_holders(collection, name, index, new_doc, query, key_value, limit=2):
    """How many stored documents (new_doc included: it is already stored) match the unique
    index's `query`, counting up to `limit`."""
    store = collection._store
    store._remove_expired_documents()
    stored = store._documents
    key = tuple(key_value.values())
    if not all(isinstance(v, SCALARS) for v in key):
        return len(list(itertools.islice(SCAN(collection, query), limit)))
    keys = maps_of(store).unique(name, index)
    doc_keys = dict.fromkeys([store_key(new_doc), *keys.candidates(key, stored)])
    matches = (k for k in doc_keys if k in stored and filter_applies(query, stored[k]))
    return len(list(itertools.islice(matches, limit)))


# --- sorted queries ---

def select(collection, spec, sort, skip, limit):
    """The stored documents a find returns, in order; mongomock's Cursor would copy every match
    and sort them all before applying skip and limit."""
    matched = iter_documents(collection, spec)
    wanted = skip + limit if limit else None
    if not sort:
        return list(itertools.islice(matched, skip, wanted))
    fields = [field for field, _ in sort]
    directions = {-1 if direction < 0 else 1 for _, direction in sort}
    matched = list(matched)
    keys = None
    if len(directions) == 1:
        keys = [plain_sort_key(fields, doc) for doc in matched]
    if keys is None or None in keys:
        return ranked_by_bson_compare(matched, sort, wanted)[skip:]
    descending = directions == {-1}
    positions = range(len(matched))
    # Like sorted(), heapq keeps ties in store order, as mongomock's stable sorts do.
    if wanted is None:
        ranked = sorted(positions, key=keys.__getitem__, reverse=descending)
    else:
        top = heapq.nlargest if descending else heapq.nsmallest
        ranked = top(wanted, positions, key=keys.__getitem__)
    return [matched[position] for position in ranked[skip:]]


def plain_sort_key(fields, doc):
    """A key Python orders as mongomock's resolve_sort_key and bson_compare would, or None when
    a value needs bson_compare itself (subdocuments, arrays inside arrays, UUIDs...)."""
    key = []
    for field in fields:
        value = resolve_key(field, doc)
        if isinstance(value, (list, tuple)):
            if not value:
                key.append((0,))  # an empty array sorts before any value
                continue
            value = value[0]  # an array sorts by its first element
        rank = 5 if value is NOTHING else _get_compare_type(value)
        if rank == 5:
            key.append((1, 5))  # null and missing are equal
        elif rank == 30 and isinstance(value, bytes):
            key.append((1, 30, len(value), bytes(value)))  # by length, then bytes
        elif rank in (20, 25, 30):
            return None
        else:
            key.append((1, rank, value))
    return tuple(key)


def ranked_by_bson_compare(docs, sort, wanted):
    directions = [-1 if direction < 0 else 1 for _, direction in sort]

    def compare(a, b):
        # Field by field, as mongomock's successive stable sorts order them.
        for key_a, key_b, direction in zip(a, b, directions):
            if key_a < key_b:
                return -direction
            if key_b < key_a:
                return direction
        return 0

    order = functools.cmp_to_key(compare)

    def sort_key(doc):
        return order([resolve_sort_key(field, doc) for field, _ in sort])

    return (sorted(docs, key=sort_key) if wanted is None
            else heapq.nsmallest(wanted, docs, key=sort_key))


def install():
    init, drop = CollectionStore.__init__, CollectionStore.drop

    def numbered_init(store, name):
        init(store, name)
        store._documents = Documents()

    def numbered_drop(store):
        drop(store)
        store._documents = Documents()
        store.__dict__.pop('_standin_index_maps', None)

    CollectionStore.__init__ = numbered_init
    CollectionStore.drop = numbered_drop
    Collection._iter_documents = iter_documents
