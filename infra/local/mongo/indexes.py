"""What mongomock lacks to stay fast as collections grow: it answers every query, and checks
every unique index, by testing each stored document. Here, without changing which documents
match or their order (candidates are a superset, each is still tested with mongomock's own
filter unless the index alone decides it, and they come back in the order mongomock gives):

- a filter that pins `_id` (a value, `$eq` or `$in`, alone or ANDed with more) looks the
  documents up in the store's dict, which is keyed by `_id`;
- every index keeps its documents ordered by its fields (OrderedKeys), so a filter with
  equalities on a leading prefix of its fields, and a range or `$exists` on the next field,
  reads one stretch of it; a count whose filter is exactly that reads only the stretch's
  bounds; a sort on the fields after the prefix walks the stretch in order until the limit;
- each unique index keeps a hash map from key to documents, so a write checks only the
  documents that may share its key;
- a sorted query with a limit that no index orders keeps the top documents (heapq) instead
  of sorting them all.

The maps follow every write as it happens: every insert passes through
Collection._ensure_uniques, which calls note_written; every update ends by noting each document
it went through, as stored then (see noting_every_updated: also when it failed halfway or was
undone); a delete goes through Documents.__delitem__ (documents.py), which the ordered maps hear
of, as they hear of a document put back when BSON could not hold its change. The unique maps only
grow: an entry whose document changed or went away is dropped when a lookup meets it.
"""

import collections
import functools
import heapq
import itertools
import operator
from datetime import datetime

from bson.objectid import ObjectId
from mongomock import helpers
from mongomock.collection import Collection
from mongomock.filtering import (_get_compare_type, filter_applies, iter_key_candidates,
                                 resolve_key, resolve_sort_key)
from mongomock.store import CollectionStore
from sentinels import NOTHING
from sortedcontainers import SortedList

from documents import Documents

# Values whose Python equality is what mongomock's filter tests, and whose equal values hash
# alike, so a dict lookup finds every document an equality filter can match. (bool is an int;
# bytes covers bson's Binary.) Lists, subdocuments, regexes and the rest take the slow path.
SCALARS = (str, int, float, bytes, ObjectId, datetime, type(None))

def in_store_order(stored, keys):
    """The store keys among `keys` that are stored (duplicates left out), in store order."""
    present = [key for key in dict.fromkeys(keys) if key in stored]
    present.sort(key=stored.position.__getitem__)
    return present


def matching(stored, keys, spec):
    """The stored documents under `keys` that the filter matches. Each is looked at without
    being held, so a write command keeps decoded only the documents it may change."""
    for key in keys:
        doc = stored.get(key)
        if doc is not None and filter_applies(spec, doc):
            yield stored.hold(key, doc)


def scan(collection, spec):
    """mongomock's scan of every document (it validates the filter even with none to test)."""
    store = collection._store
    if store.is_empty:
        filter_applies(spec, {})
    stored = store._documents
    return matching(stored, list(stored), spec)


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


def and_clauses(spec):
    clauses = spec.get('$and')
    if not isinstance(clauses, list):
        return []
    return [clause for clause in clauses if isinstance(clause, dict)]


def iter_documents(collection, spec):
    """Replaces Collection._iter_documents, which every find, count, update and delete uses."""
    if not isinstance(spec, dict):
        return scan(collection, spec)
    ids = pinned_ids(spec)
    lookup = None if ids is not None else index_lookup(collection, spec)
    if ids is None and lookup is None:
        return scan(collection, spec)
    store = collection._store
    store._remove_expired_documents()  # TTL, as mongomock's document iterator does first
    stored = store._documents
    check_filter(spec, stored)
    # The keys are listed first, as mongomock's scan lists the documents: callers update the
    # documents as they go.
    if lookup is None:
        keys = in_store_order(stored, ids)
    elif lookup.exact:
        return iter(lookup.matches_in_store_order())
    else:
        keys = lookup.candidates_in_store_order()
    return matching(stored, keys, spec)


def check_filter(spec, stored):
    """mongomock's scan rejects a malformed filter even when it has no document to test."""
    if not stored:
        filter_applies(spec, {})


def count_matching(collection, spec):
    """How many stored documents match the filter; when an index decides it alone, from the
    bounds of the index's stretch, without visiting its documents."""
    if spec == {}:
        # Every document matches: no need to decode one (estimatedDocumentCount, a backlog probe).
        collection._store._remove_expired_documents()
        return len(collection._store._documents)
    lookup = None
    if isinstance(spec, dict) and pinned_ids(spec) is None:
        lookup = index_lookup(collection, spec)
    if lookup is not None and lookup.exact:
        check_filter(spec, lookup.keys.stored)
        return lookup.stop - lookup.start + len(lookup.odd_matches())
    return sum(1 for _ in iter_documents(collection, spec))


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


# Every index's documents, ordered by the index's fields the way mongomock sorts and compares
# them. A field's key is (BSON type rank, value): mongomock's range operators and sorts compare
# the rank first, and within a rank Python's order, which is theirs. Python's equality is what
# an equality filter tests, and equal values (1, 1.0, Int64(1)) get equal keys.
MISSING = (5, 0)  # sorts, and matches an equality on null, as null does
NULL = (5, 1)  # after MISSING, so that `$exists: true` skips the documents lacking the field
ABOVE_ALL = (99,)  # above every field key


def field_key(value):
    """The value's key in an ordered map, or None when the map leaves the document out: values
    that are not scalars, booleans (Python's True == 1 would mix them with numbers, which sort
    apart), NaN (unordered), bytes (bson's Binary compares its subtype, sorts without it) and
    datetimes with a time zone (they do not compare with naive ones)."""
    if value is NOTHING:
        return MISSING
    if value is None:
        return NULL
    if isinstance(value, bool) or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, (int, float, str, ObjectId)) or (
            isinstance(value, datetime) and value.tzinfo is None):
        return _get_compare_type(value), value
    return None


def ordered_key(doc, fields):
    """The document's key in an index's ordered map, or None when a field is not one plain
    value (an array, a subdocument...) and only mongomock's own filter and sort can place it."""
    key = []
    for field in fields:
        candidates = iter_key_candidates(field, doc)
        if len(candidates) != 1:
            return None
        value_key = field_key(candidates[0])
        if value_key is None:
            return None
        key.append(value_key)
    return tuple(key)


POSITION = operator.itemgetter(1)  # of an entry (key, position, store key)


def sort_class(keys):
    """Keys that mongomock's sort ranks alike: missing and null tie."""
    return tuple(NULL if key == MISSING else key for key in keys)


class OrderedKeys:
    """For one index: each stored document with a plain key as an entry (key, position in the
    store, store key) in a SortedList, so equal keys stay in store order; the others in `odd`.
    Every stored document is listed exactly once, under its current key: writes move entries
    as they happen (`entry_of` remembers where each document is), deletes remove them."""

    def __init__(self, index, stored):
        self.index = index  # the index it was built for: a recreated index is a new dict
        self.fields = [field for field, _ in index['key']]
        self.stored = stored
        self.entry_of = {}
        self.odd = set()
        for doc_key, doc in stored.items():
            self.place(doc_key, self.entry(doc_key, doc))
        self.entries = SortedList(self.entry_of.values())

    def entry(self, doc_key, doc):
        key = ordered_key(doc, self.fields)
        return None if key is None else (key, self.stored.position[doc_key], doc_key)

    def place(self, doc_key, entry):
        if entry is None:
            self.odd.add(doc_key)
        else:
            self.entry_of[doc_key] = entry

    def add(self, doc):
        doc_key = store_key(doc)
        entry = self.entry(doc_key, doc)
        if entry is not None and self.entry_of.get(doc_key) == entry:
            return  # its key did not change
        self.remove(doc_key)
        self.place(doc_key, entry)
        if entry is not None:
            self.entries.add(entry)

    def remove(self, doc_key):
        entry = self.entry_of.pop(doc_key, None)
        if entry is None:
            self.odd.discard(doc_key)
        else:
            self.entries.remove(entry)

    def first_at_or_above(self, key):
        """Where the first entry whose key is at or above `key` (leading field keys, the last
        of which may be a bound such as ABOVE_ALL) is, or would be."""
        # A shorter tuple sorts first, so (key,) comes before every entry starting with key.
        return self.entries.bisect_left((key,))


# The conditions on one field that a stretch of an ordered map can serve.
RANGE_OPERATORS = {'$gt', '$gte', '$lt', '$lte'}


def equality_key(condition):
    """The field key an equality condition (a value, or {$eq: value}) asks for, or None. An
    equality on null also matches a missing field: two keys, so it is left to the filter."""
    if isinstance(condition, dict):
        if list(condition) != ['$eq']:
            return None
        condition = condition['$eq']
    key = field_key(condition)
    return None if key in (MISSING, NULL) else key


def key_bounds(condition):
    """The field keys [low, high) that a range (on one type, as mongomock compares only values
    of the bound's type) or an `$exists` allows, or None. Every plain value between the bounds
    satisfies the condition and none outside does."""
    if not isinstance(condition, dict) or not condition:
        return None
    if list(condition) == ['$exists']:
        return (NULL, ABOVE_ALL) if condition['$exists'] else (MISSING, NULL)
    if not set(condition) <= RANGE_OPERATORS:
        return None
    bounds = [field_key(bound) for bound in condition.values()]
    ranks = {bound[0] for bound in bounds if bound is not None}
    if None in bounds or len(ranks) != 1 or ranks == {MISSING[0]}:
        return None
    rank = ranks.pop()
    low, high = (rank,), (rank + 1,)
    for name, bound in zip(condition, bounds):
        # (rank, value, 0) sorts after the key (rank, value) and before any larger value.
        if name == '$gte':
            low = max(low, bound)
        elif name == '$gt':
            low = max(low, bound + (0,))
        elif name == '$lt':
            high = min(high, bound)
        else:
            high = min(high, bound + (0,))
    return low, high


def field_conditions(spec):
    """Each field's conditions, from the filter and its `$and` clauses: all must hold."""
    conditions = collections.defaultdict(list)
    for field, condition in spec.items():
        if not field.startswith('$'):
            conditions[field].append(condition)
    for clause in and_clauses(spec):
        for field, found in field_conditions(clause).items():
            conditions[field].extend(found)
    return conditions


def ordered_fields(index):
    """The index's fields when it orders by value (1 or -1); text, hashed and geo indexes do not."""
    key = index['key']
    if all(isinstance(direction, (int, float)) and not isinstance(direction, bool)
           and direction in (1, -1) for _, direction in key):
        return [field for field, _ in key]
    return None


def sort_follows(sort, fields):
    """Whether the sort is on the leading `fields`, all one way: an ordered map's walk order."""
    return (bool(sort) and [field for field, _ in sort] == fields[:len(sort)]
            and len({direction < 0 for _, direction in sort}) == 1)


class Lookup:
    """The stretch entries[start:stop] of an index's ordered map that holds every plainly keyed
    document the filter may match, the others being in keys.odd. `exact` when the filter holds
    for every entry of the stretch (it is nothing but the conditions the stretch stands for);
    `sorted_by`, when the sort is on the fields after the prefix, their number."""

    def __init__(self, keys, spec, prefix, bounds, exact, sorted_by):
        self.keys, self.spec, self.exact, self.sorted_by = keys, spec, exact, sorted_by
        self.prefix_length = len(prefix)
        low, high = bounds or (None, ABOVE_ALL)
        self.start = keys.first_at_or_above(prefix if low is None else prefix + (low,))
        self.stop = max(self.start, keys.first_at_or_above(prefix + (high,)))

    def stretch(self, reverse=False):
        return self.keys.entries.islice(self.start, self.stop, reverse=reverse)

    def odd_matches(self):
        return list(matching(self.keys.stored, self.keys.odd, self.spec))

    def candidates_in_store_order(self):
        doc_keys = [doc_key for _, _, doc_key in self.stretch()]
        return in_store_order(self.keys.stored, doc_keys + list(self.keys.odd))

    def matches_in_store_order(self):
        stored = self.keys.stored
        in_map = [stored[doc_key] for _, _, doc_key in sorted(self.stretch(), key=POSITION)]
        odd = self.odd_matches()
        if not odd:
            return in_map
        return sorted(in_map + odd, key=lambda doc: stored.position[store_key(doc)])

    def in_sort_order(self, descending, wanted):
        """The first `wanted` (all when None) matching documents in the sort's order, ties in
        store order, as mongomock's stable sorts leave them."""
        stored = self.keys.stored
        first = self.prefix_length
        sorted_fields = slice(first, first + self.sorted_by)
        picked = []
        # Missing sorts as null but is kept apart from it in the map: the runs of one value of
        # the first sorted field are put in sort order here, missing and null together.
        for _, tied in itertools.groupby(self.stretch(reverse=descending),
                                         key=lambda entry: sort_class(entry[0][first:first + 1])):
            if wanted is not None and len(picked) >= wanted:
                break
            run = sorted(tied, key=POSITION)
            if self.sorted_by > 1:  # stable, so ties keep store order either way
                run.sort(key=lambda entry: sort_class(entry[0][sorted_fields]), reverse=descending)
            for _, _, doc_key in run:
                doc = stored.get(doc_key)
                if self.exact or filter_applies(self.spec, doc):
                    picked.append(stored.hold(doc_key, doc))
        return picked[:wanted]


def index_lookup(collection, spec, sort=None):
    """The Lookup of the index that narrows the filter most: the longest equality prefix, then
    one whose order is the sort's, then one with a range; None when no index's leading field
    has a condition it can serve, or is sorted on."""
    store = collection._store
    store._remove_expired_documents()  # TTL, as mongomock's document iterator does first
    conditions = field_conditions(spec)
    best, best_rank = None, None
    for name, index in store.indexes.items():
        fields = ordered_fields(index)
        if fields is None:
            continue
        prefix = []
        for field in fields:
            key = next(filter(None, map(equality_key, conditions.get(field, ()))), None)
            if key is None:
                break
            prefix.append(key)
        following = fields[len(prefix):]
        bounds = next(filter(None, map(key_bounds, conditions.get(following[0], ()))), None) \
            if following else None
        sorted_by = len(sort) if sort_follows(sort, following) else 0
        if not (prefix or bounds or sorted_by):
            continue
        # An equality prefix narrows most; an index that also orders the sort comes next.
        rank = (len(prefix), sorted_by > 0, bounds is not None)
        if best_rank is None or rank > best_rank:
            used = fields[:len(prefix) + (bounds is not None)]
            # Only the conditions the stretch stands for: one per field, the ones it was built from.
            exact = sorted(spec) == sorted(used)
            best, best_rank = (name, index, tuple(prefix), bounds, exact, sorted_by), rank
    if best is None:
        return None
    name, index, prefix, bounds, exact, sorted_by = best
    return Lookup(maps_of(store).ordered(name, index), spec, prefix, bounds, exact, sorted_by)


class IndexMaps:
    """The maps of one collection's indexes. A map is rebuilt from the documents when its index
    was (re)created, and a unique map also when it holds more stale entries than live ones."""

    def __init__(self, store):
        self.store = store
        self.maps = {}  # by (kind, index name)

    def current(self, name, index, kind):
        stored = self.store._documents
        found = self.maps.get((kind, name))
        if found is None or found.index is not index or (
                kind is UniqueKeys and found.entries > 2 * len(stored) + 1024):
            found = self.maps[kind, name] = kind(index, stored)
        return found

    def unique(self, name, index):
        return self.current(name, index, UniqueKeys)

    def ordered(self, name, index):
        return self.current(name, index, OrderedKeys)

    def note(self, doc):
        for name, index in self.store.indexes.items():
            if index.get('unique'):
                self.unique(name, index).add(doc)
            if ordered_fields(index) is not None:
                self.ordered(name, index).add(doc)

    def forget(self, doc_key):
        """Takes a deleted document out of the ordered maps; the unique ones prune lazily."""
        for name, index in self.store.indexes.items():
            found = self.maps.get((OrderedKeys, name))
            if found is not None and found.index is index:
                found.remove(doc_key)


def maps_of(store):
    maps = store.__dict__.get('_standin_index_maps')
    if maps is None:
        maps = store.__dict__['_standin_index_maps'] = IndexMaps(store)
        store._documents.on_delete = maps.forget
        store._documents.on_restore = maps.note
    return maps


def note_written(collection, doc):
    """Lists a written document, as it is now, in its collection's maps."""
    maps_of(collection._store).note(doc)


def count_key_holders(collection, name, index, new_doc, query, key_value, limit=2):
    """How many stored documents (new_doc included: it is already stored) match the unique
    index's `query`, counting up to `limit`."""
    store = collection._store
    store._remove_expired_documents()
    stored = store._documents
    key = tuple(key_value.values())
    if not all(isinstance(v, SCALARS) for v in key):
        return len(list(itertools.islice(scan(collection, query), limit)))
    keys = maps_of(store).unique(name, index)
    doc_keys = dict.fromkeys([store_key(new_doc), *keys.candidates(key, stored)])
    return len(list(itertools.islice(matching(stored, doc_keys, query), limit)))


# --- sorted queries ---

def select(collection, spec, sort, skip, limit):
    """The stored documents a find returns, in order; mongomock's Cursor would copy every match
    and sort them all before applying skip and limit."""
    wanted = skip + limit if limit else None
    if sort and pinned_ids(spec) is None:
        lookup = index_lookup(collection, spec, sort)
        # A matching document outside the ordered map needs mongomock's comparison to place it.
        if lookup is not None and lookup.sorted_by and not lookup.odd_matches():
            check_filter(spec, lookup.keys.stored)
            return lookup.in_sort_order(sort[0][1] < 0, wanted)[skip:]
    matched = iter_documents(collection, spec)
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
        store._documents = Documents()  # with no on_delete: its maps go with the old documents
        store.__dict__.pop('_standin_index_maps', None)

    CollectionStore.__init__ = numbered_init
    CollectionStore.drop = numbered_drop
    Collection._iter_documents = iter_documents
    Collection._update = noting_every_updated(Collection._update)


def noting_every_updated(update):
    """mongomock notes (through _ensure_uniques) a document it updated only when the document
    compares unequal to before, and Python's True == 1 hides a change of type that moves it in
    an ordered map; when an update fails, it keeps what it applied, except that it swaps a
    document that broke a unique index back to its snapshot, a new object the maps never saw.
    So note, as now stored, every document the update went through, whatever became of it."""

    def noting_update(collection, spec, document, *args, **kwargs):
        went_through = []
        find = collection._iter_documents

        def recording(spec):
            for doc in find(spec):
                went_through.append(store_key(doc))
                yield doc

        collection._iter_documents = recording
        try:
            return update(collection, spec, document, *args, **kwargs)
        finally:
            del collection._iter_documents
            stored = collection._store._documents
            for doc_key in dict.fromkeys(went_through):
                if doc_key in stored:
                    note_written(collection, stored[doc_key])

    return noting_update
