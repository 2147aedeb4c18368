#!/usr/bin/python3
"""A MongoDB stand-in for tests and the local stack: it speaks the wire
protocol through mockupdb and keeps the data in mongomock, in memory.

It answers like a standalone mongod 6.0: no transactions, no change streams.

    /usr/bin/python3 mongo_standin.py --port 0

prints {"uri": "mongodb://127.0.0.1:PORT"} once it listens, and exits on
SIGTERM/SIGINT or when stdin closes (so it never outlives its parent).
"""

import argparse
import contextlib
import errno
import functools
import itertools
import json
import signal
import sys
import threading
import time
import traceback
from collections import OrderedDict
from datetime import datetime, timezone

import bson
import mockupdb
import mongomock
from bson import json_util
from bson.binary import UuidRepresentation
from bson.codec_options import CodecOptions
from bson.int64 import Int64
from mongomock import aggregate as mongomock_aggregate
from mongomock.collection import Collection, validate_is_mapping
from mongomock.filtering import filter_applies
from mongomock.helpers import patch_datetime_awareness_in_document
from pymongo.errors import CollectionInvalid, DuplicateKeyError, OperationFailure

import documents
import indexes

MAX_WIRE_VERSION = 17  # MongoDB 6.0; the Node driver 6 needs at least 8.
DEFAULT_BATCH_SIZE = 101  # mongod's default first batch
MAX_BATCH_BYTES = 16 * 1024 * 1024 - 64 * 1024  # a reply must fit one BSON document
CURSOR_IDLE_SECONDS = 600  # mongod's cursorTimeoutMillis

# Fields the driver adds to every command; they mean nothing to mongomock.
DRIVER_FIELDS = {
    '$db', 'lsid', '$clusterTime', 'writeConcern', 'readConcern', 'txnNumber',
    '$readPreference', 'apiVersion', 'apiStrict', 'apiDeprecationErrors',
    'comment', 'maxTimeMS',
}

CODE_NAMES = {
    2: 'BadValue', 8: 'UnknownError', 20: 'IllegalOperation',
    26: 'NamespaceNotFound', 27: 'IndexNotFound', 43: 'CursorNotFound',
    48: 'NamespaceExists', 59: 'CommandNotFound', 85: 'IndexOptionsConflict',
    238: 'NotImplemented', 11000: 'DuplicateKey',
}

# Decode UUIDs as plain Binary, so subtype 4 (or legacy 3) goes back out as it came in.
mockupdb.CODEC_OPTIONS = CodecOptions(document_class=OrderedDict,
                                      uuid_representation=UuidRepresentation.UNSPECIFIED)
documents.CODEC_OPTIONS = mockupdb.CODEC_OPTIONS  # stored as they came, read back alike
_receive_request = mockupdb.mock_server_receive_request


def receive_or_hang_up(client, server):
    """A message mockupdb cannot parse kills its connection thread and leaves the client
    waiting forever; hang up instead, so the client fails at once."""
    try:
        return _receive_request(client, server)
    except OSError:
        raise
    except Exception as exc:
        print('closing a connection on an unreadable message: %r' % exc, file=sys.stderr)
        raise ConnectionResetError(errno.ECONNRESET, str(exc)) from exc


mockupdb.mock_server_receive_request = receive_or_hang_up


def brief_repr(message):
    """mockupdb formats every request and reply for a debug log it then discards, and a full
    repr JSON-encodes the documents: for a large reply, more work than the query itself."""
    return '<%s>' % type(message).__name__


for message_class in (mockupdb.Request, mockupdb.OpQuery, mockupdb.OpKillCursors,
                      mockupdb.Reply, mockupdb.OpMsgReply):
    message_class.__repr__ = brief_repr

# mongomock is not thread-safe and mockupdb serves each connection on its own thread.
LOCK = threading.Lock()
CLIENT = mongomock.MongoClient()
CURSORS = {}
CURSOR_IDS = itertools.count(1)


class ServerError(Exception):
    """A failure with the code mongod would answer."""

    def __init__(self, code, errmsg, **fields):
        super().__init__(errmsg)
        self.code = code
        self.fields = fields


class DuplicateKey(DuplicateKeyError):
    """An E11000 that names the index and key, like mongod's; mongomock's own says neither."""

    def __init__(self, namespace, index_name, key_pattern, key_value):
        dup_key = ', '.join('%s: %s' % (k, json_util.dumps(v)) for k, v in key_value.items())
        super().__init__('E11000 duplicate key error collection: %s index: %s dup key: { %s }'
                         % (namespace, index_name, dup_key), 11000)
        self.fields = {'keyPattern': key_pattern, 'keyValue': key_value}


def _ensure_uniques(collection, new_doc):
    """Replaces mongomock's check (same rules) so a duplicate says which index and key it hit,
    and tests only the documents the index's key map names instead of scanning them all.
    mongomock calls it for every document it inserts or changes: the maps learn of it here."""
    indexes.note_written(collection, new_doc)
    for name, index in collection._store.indexes.items():
        if not index.get('unique'):
            continue
        key_value = {field: dotted_value(new_doc, field) for field, _ in index['key']}
        if index.get('sparse') and all(v is None for v in key_value.values()):
            continue
        query = key_value
        if index.get('partialFilterExpression') is not None:
            query = {'$and': [index['partialFilterExpression'], key_value]}
        # new_doc is already stored, so a second match is the duplicate.
        if indexes.count_key_holders(collection, name, index, new_doc, query, key_value) > 1:
            raise DuplicateKey(collection.full_name, name, dict(index['key']), key_value)


Collection._ensure_uniques = _ensure_uniques
indexes.install()


def dotted_value(doc, path):
    try:
        return mongomock.helpers.get_value_by_dot(doc, path)
    except (KeyError, IndexError, TypeError):
        return None


def error_doc(exc):
    """The {code, codeName, errmsg, ...} mongod would send for this failure."""
    if isinstance(exc, (ServerError, OperationFailure)):
        code, fields, errmsg = exc.code or 2, getattr(exc, 'fields', {}), str(exc)
    elif isinstance(exc, NotImplementedError):
        code, fields, errmsg = 238, {}, 'not supported by the stand-in (mongomock): %s' % exc
    elif isinstance(exc, (ValueError, TypeError, KeyError)):
        code, fields, errmsg = 2, {}, str(exc)
    else:
        traceback.print_exc(file=sys.stderr)
        code, fields, errmsg = 8, {}, '%s: %s' % (type(exc).__name__, exc)
    return {'code': code, 'codeName': CODE_NAMES.get(code, 'Location%d' % code),
            'errmsg': errmsg, **fields}


def write_error(index, exc):
    doc = error_doc(exc)
    del doc['codeName']  # mongod's writeErrors carry none
    return {'index': index, **doc}


# --- cursors: results are computed once and handed out batch by batch ---

class Cursor:
    def __init__(self, ns, docs):
        self.ns, self.docs, self.pos, self.used = ns, docs, 0, time.monotonic()

    def take(self, batch_size):
        batch, size = [], 0
        while self.pos < len(self.docs) and len(batch) < batch_size:
            size += len(bson.BSON.encode(self.docs[self.pos]))
            if batch and size > MAX_BATCH_BYTES:
                break
            batch.append(self.docs[self.pos])
            self.pos += 1
        self.used = time.monotonic()
        return batch

    @property
    def exhausted(self):
        return self.pos >= len(self.docs)


def open_cursor(ns, docs, batch_size, single_batch=False):
    cursor = Cursor(ns, docs)
    batch = cursor.take(batch_size)
    cursor_id = 0
    if not cursor.exhausted and not single_batch:
        # Clients that vanish never send killCursors; forget their cursors as mongod does.
        idle_since = time.monotonic() - CURSOR_IDLE_SECONDS
        for stale in [cid for cid, c in CURSORS.items() if c.used < idle_since]:
            del CURSORS[stale]
        cursor_id = next(CURSOR_IDS)
        CURSORS[cursor_id] = cursor
    return {'cursor': {'firstBatch': batch, 'id': Int64(cursor_id), 'ns': ns}}


def get_more(db, cmd):
    cursor_id = int(cmd['getMore'])
    cursor = CURSORS.get(cursor_id)
    if cursor is None:
        raise ServerError(43, 'cursor id %d not found' % cursor_id)
    batch = cursor.take(cmd.get('batchSize') or len(cursor.docs))
    if cursor.exhausted:
        del CURSORS[cursor_id]
        cursor_id = 0
    return {'cursor': {'nextBatch': batch, 'id': Int64(cursor_id), 'ns': cursor.ns}}


def kill_cursors(db, cmd):
    ids = [int(i) for i in cmd.get('cursors', [])]
    killed = [i for i in ids if CURSORS.pop(i, None) is not None]
    return {'cursorsKilled': [Int64(i) for i in killed],
            'cursorsNotFound': [Int64(i) for i in ids if i not in killed],
            'cursorsAlive': [], 'cursorsUnknown': []}


# --- reads ---

def sort_list(sort):
    return list(sort.items()) if sort else None


def find_docs(coll, spec, projection=None, sort=None, skip=0, limit=0):
    """Copies of the matching documents; the same answer as mongomock's cursor, which copies
    and sorts every match before it applies skip and limit."""
    if any(field.startswith('$') for field, _ in sort or ()):
        # $natural and $meta: mongomock's cursor knows what it supports
        return list(coll.find(spec, projection=projection, skip=skip, limit=limit, sort=sort))
    validate_is_mapping('filter', spec)
    selected = indexes.select(coll, patch_datetime_awareness_in_document(spec), sort, skip, limit)
    return [coll._copy_only_fields(doc, projection, dict) for doc in selected]


def find(db, cmd):
    coll = db[cmd['find']]
    docs = find_docs(coll, cmd.get('filter') or {}, cmd.get('projection') or None,
                     sort_list(cmd.get('sort')), cmd.get('skip') or 0, abs(cmd.get('limit') or 0))
    single = cmd.get('singleBatch', False) or (cmd.get('limit') or 0) < 0
    return open_cursor(coll.full_name, docs, cmd.get('batchSize', DEFAULT_BATCH_SIZE), single)


def aggregate(db, cmd):
    pipeline = cmd.get('pipeline', [])
    if pipeline and '$changeStream' in pipeline[0]:
        raise ServerError(40573, 'The $changeStream stage is only supported on replica sets')
    if not isinstance(cmd['aggregate'], str):
        raise ServerError(238, 'database-level aggregate is not supported by the stand-in')
    coll = db[cmd['aggregate']]
    first = pipeline[0] if pipeline else {}
    if isinstance(first, dict) and list(first) == ['$match'] and not coll._store.is_empty:
        # mongomock copies the whole collection into the pipeline; copy only what the leading
        # $match lets through (the stage still runs, on those alone), or just count it.
        spec = patch_datetime_awareness_in_document(first['$match'])
        counting = count_pipeline(pipeline)
        if counting is not None:
            skip, limit = counting
            n = max(indexes.count_matching(coll, spec) - skip, 0)
            n = min(n, limit) if limit is not None else n
            docs = [{'_id': 1, 'n': n}] if n else []
        else:
            matched = coll._iter_documents(spec)
            copies = [coll._copy_only_fields(doc, None, dict) for doc in matched]
            docs = list(mongomock_aggregate.process_pipeline(copies, db, pipeline, None))
    else:
        docs = list(coll.aggregate(pipeline))
    batch_size = cmd.get('cursor', {}).get('batchSize', DEFAULT_BATCH_SIZE)
    return open_cursor(coll.full_name, docs, batch_size)


COUNT_STAGE = {'$group': {'_id': 1, 'n': {'$sum': 1}}}


def count_pipeline(pipeline):
    """(skip, limit) when the pipeline is the driver's countDocuments: $match, an optional
    $skip, an optional $limit, then COUNT_STAGE; otherwise None."""
    middle, last = pipeline[1:-1], pipeline[-1]
    names = [next(iter(stage)) if isinstance(stage, dict) and len(stage) == 1 else None
             for stage in middle]
    if len(pipeline) < 2 or last != COUNT_STAGE or names not in (
            [], ['$skip'], ['$limit'], ['$skip', '$limit']):
        return None
    options = {name: stage[name] for name, stage in zip(names, middle)}
    if not all(isinstance(v, int) and not isinstance(v, bool) and v >= (name == '$limit')
               for name, v in options.items()):
        return None
    return options.get('$skip', 0), options.get('$limit')


def count(db, cmd):
    query = cmd.get('query') or {}
    validate_is_mapping('query', query)
    n = indexes.count_matching(db[cmd['count']], patch_datetime_awareness_in_document(query))
    skip, limit = cmd.get('skip') or 0, abs(cmd.get('limit') or 0)
    n = max(n - skip, 0)
    return {'n': min(n, limit) if limit else n}


def distinct(db, cmd):
    return {'values': db[cmd['distinct']].distinct(cmd['key'], cmd.get('query') or {})}


# --- writes ---

def insert(db, cmd):
    coll = db[cmd['insert']]
    n, errors = 0, []
    for index, doc in enumerate(cmd.get('documents', [])):
        try:
            coll.insert_one(doc)
            n += 1
        except DuplicateKeyError as exc:
            # mongomock checks _id itself, with a bare message.
            if not isinstance(exc, DuplicateKey):
                exc = DuplicateKey(coll.full_name, '_id_', {'_id': 1}, {'_id': doc.get('_id')})
            errors.append(write_error(index, exc))
        except Exception as exc:  # a failed statement is reported, not fatal
            errors.append(write_error(index, exc))
        if errors and cmd.get('ordered', True):
            break
    return with_write_errors({'n': n}, errors)


def update(db, cmd):
    coll = db[cmd['update']]
    n, modified, upserted, errors = 0, 0, [], []
    for index, stmt in enumerate(cmd.get('updates', [])):
        try:
            matched, changed, upserted_id = apply_update(
                coll, stmt.get('q') or {}, stmt['u'], stmt.get('multi', False),
                stmt.get('upsert', False), stmt.get('arrayFilters'))
        except Exception as exc:  # a failed statement is reported, not fatal
            errors.append(write_error(index, exc))
            if cmd.get('ordered', True):
                break
            continue
        n += matched
        modified += changed
        if upserted_id is not None:
            upserted.append({'index': index, '_id': upserted_id})
    reply = {'n': n, 'nModified': modified}
    if upserted:
        reply['upserted'] = upserted
    return with_write_errors(reply, errors)


def delete(db, cmd):
    coll = db[cmd['delete']]
    n, errors = 0, []
    for index, stmt in enumerate(cmd.get('deletes', [])):
        try:
            remove = coll.delete_one if stmt.get('limit') == 1 else coll.delete_many
            n += remove(stmt.get('q') or {}).deleted_count
        except Exception as exc:  # a failed statement is reported, not fatal
            errors.append(write_error(index, exc))
            if cmd.get('ordered', True):
                break
    return with_write_errors({'n': n}, errors)


def with_write_errors(reply, errors):
    if errors:
        reply['writeErrors'] = errors
    return reply


def apply_update(coll, query, update, multi, upsert, array_filters):
    """Runs one update statement; returns (matched incl. upserted, modified, upserted _id)."""
    if not isinstance(update, dict):
        raise ServerError(238, 'pipeline-style updates are not supported by the stand-in')
    if not any(key.startswith('$') for key in update):
        result = coll.replace_one(query, update, upsert=upsert).raw_result
    elif array_filters is not None or needs_rewrite(update):
        return update_each(coll, query, update, multi, upsert, array_filters or [])
    else:
        run = coll.update_many if multi else coll.update_one
        result = run(query, update, upsert=upsert).raw_result
    return result['n'], result['nModified'], result.get('upserted')


def needs_rewrite(update):
    """mongomock lacks `$[]`/`$[id]`, and its $pull through an array index (`a.0.b`)
    pulls from the wrong array."""
    return any('$[' in field or (op == '$pull' and any(p.isdigit() for p in field.split('.')))
               for op, fields in update.items() if isinstance(fields, dict)
               for field in fields)


def update_each(coll, query, update, multi, upsert, array_filters):
    """Rewrites the update for each matched document into concrete paths mongomock
    handles, then updates that document alone (under the global lock, so still atomic)."""
    filters = {next(iter(f)).split('.')[0]: f for f in array_filters}
    docs = list(coll.find(query, limit=0 if multi else 1))
    if not docs and upsert:
        concrete_update({}, update, filters)  # like mongod, refuses `$[...]` on a missing array
        result = coll.update_one(query, update, upsert=True).raw_result
        return result['n'], 0, result.get('upserted')
    modified = 0
    for doc in docs:
        change = concrete_update(doc, update, filters)
        if change:
            # Keep the query's other fields: a plain `$` in the same update is resolved from them.
            modified += coll.update_one(dict(query, _id=doc['_id']), change).modified_count
    return len(docs), modified, None


def concrete_update(doc, update, filters):
    rewritten = {}
    for op, fields in update.items():
        for field, value in fields.items():
            for path in concrete_paths(doc, field.split('.'), filters):
                if op == '$pull' and any(part.isdigit() for part in path.split('.')):
                    array = functools.reduce(child, path.split('.'), doc)
                    if isinstance(array, list):
                        kept = [e for e in array if not pull_matches(value, e)]
                        rewritten.setdefault('$set', {})[path] = kept
                else:
                    rewritten.setdefault(op, {})[path] = value
    return rewritten


def pull_matches(condition, element):
    """$pull's rule: a plain document is a query on document elements; anything else
    (a value, or operators such as $in) is matched against the element itself."""
    if (isinstance(condition, dict) and isinstance(element, dict)
            and not any(key.startswith('$') for key in condition)):
        return filter_applies(condition, element)
    return filter_applies({'v': condition}, {'v': element})


def concrete_paths(value, parts, filters, prefix=()):
    if not parts:
        return ['.'.join(prefix)]
    part, rest = parts[0], parts[1:]
    if not (part.startswith('$[') and part.endswith(']')):
        return concrete_paths(child(value, part), rest, filters, prefix + (part,))
    if not isinstance(value, list):
        raise ServerError(2, "The path '%s' must exist in the document in order to apply "
                             'array updates.' % '.'.join(prefix))
    ident = part[2:-1]
    if ident and ident not in filters:
        raise ServerError(2, "No array filter found for identifier '%s'" % ident)
    # An array filter names the element by its identifier, so wrap the element under it.
    return [path
            for i, element in enumerate(value)
            if not ident or filter_applies(filters[ident], {ident: element})
            for path in concrete_paths(element, rest, filters, prefix + (str(i),))]


def child(value, part):
    if isinstance(value, dict):
        return value.get(part)
    if isinstance(value, list) and part.isdigit() and int(part) < len(value):
        return value[int(part)]
    return None


def find_and_modify(db, cmd):
    coll = db[cmd.get('findAndModify', cmd.get('findandmodify'))]
    query = cmd.get('query') or {}
    projection = cmd.get('fields') or None
    found = next(iter(find_docs(coll, query, sort=sort_list(cmd.get('sort')), limit=1)), None)
    if found is None and not (cmd.get('upsert') and not cmd.get('remove')):
        return {'lastErrorObject': {'n': 0, 'updatedExisting': False}, 'value': None}
    before = found and coll.find_one({'_id': found['_id']}, projection)
    if cmd.get('remove'):
        coll.delete_one({'_id': found['_id']})
        return {'lastErrorObject': {'n': 1}, 'value': before}
    spec = dict(query, _id=found['_id']) if found else query
    _, _, upserted_id = apply_update(coll, spec, cmd.get('update') or {}, False,
                                     found is None, cmd.get('arrayFilters'))
    last_error = {'n': 1, 'updatedExisting': found is not None}
    if upserted_id is not None:
        last_error['upserted'] = upserted_id
    value = before
    if cmd.get('new'):
        value = coll.find_one({'_id': found['_id'] if found else upserted_id}, projection)
    return {'lastErrorObject': last_error, 'value': value}


# --- collections, indexes, databases ---

def namespace_must_exist(db, name):
    if name not in db.list_collection_names():
        raise ServerError(26, 'ns does not exist: %s.%s' % (db.name, name))


def create(db, cmd):
    options = {k: v for k, v in cmd.items() if k != 'create'}
    try:
        db.create_collection(cmd['create'], **options)
    except CollectionInvalid:
        raise ServerError(48, 'Collection %s.%s already exists.' % (db.name, cmd['create']))
    return {}


def drop(db, cmd):
    namespace_must_exist(db, cmd['drop'])
    indexes = len(db[cmd['drop']].index_information())
    db.drop_collection(cmd['drop'])
    return {'ns': '%s.%s' % (db.name, cmd['drop']), 'nIndexesWas': indexes}


def drop_database(db, cmd):
    CLIENT.drop_database(db.name)
    return {'dropped': db.name}


def coll_stats(db, cmd):
    """mongod's figures for a collection that the stand-in can give: its documents' BSON size."""
    namespace_must_exist(db, cmd['collStats'])
    coll = db[cmd['collStats']]
    stored = coll._store._documents
    size, count = stored.bson_bytes(), len(stored)
    return {'ns': coll.full_name, 'count': count, 'size': size,
            'avgObjSize': size // count if count else 0,
            'nindexes': len(coll.index_information())}


def list_collections(db, cmd):
    docs = [{'name': name, 'type': 'collection', 'options': {}, 'info': {'readOnly': False},
             'idIndex': {'v': 2, 'key': {'_id': 1}, 'name': '_id_'}}
            for name in sorted(db.list_collection_names())]
    if cmd.get('nameOnly'):
        docs = [{'name': d['name'], 'type': d['type']} for d in docs]
    docs = [d for d in docs if filter_applies(cmd.get('filter') or {}, d)]
    batch_size = cmd.get('cursor', {}).get('batchSize', DEFAULT_BATCH_SIZE)
    return open_cursor('%s.$cmd.listCollections' % db.name, docs, batch_size)


def list_databases(db, cmd):
    names = sorted(CLIENT.list_database_names())
    if cmd.get('nameOnly'):
        return {'databases': [{'name': n} for n in names]}
    return {'databases': [{'name': n, 'sizeOnDisk': 0, 'empty': False} for n in names],
            'totalSize': 0, 'totalSizeMb': 0}


def create_indexes(db, cmd):
    coll = db[cmd['createIndexes']]
    created_collection = cmd['createIndexes'] not in db.list_collection_names()
    before = len(coll.index_information()) or 1  # a new collection starts with _id_
    for spec in cmd.get('indexes', []):
        build_index(coll, spec)
    return {'createdCollectionAutomatically': created_collection,
            'numIndexesBefore': before, 'numIndexesAfter': len(coll.index_information())}


def build_index(coll, spec):
    """Stores the index as mongomock's create_index does, but checks existing data with
    the rules of _ensure_uniques: mongomock's own check ignores partialFilterExpression."""
    key = list(spec['key'].items())
    index = {'key': key, **{k: True for k in ('unique', 'sparse') if spec.get(k)},
             **{k: spec[k] for k in ('partialFilterExpression', 'expireAfterSeconds') if k in spec}}
    for name, existing in coll._store.indexes.items():
        if name == spec['name'] and existing == index:
            return  # already there: createIndexes is idempotent
        if name == spec['name']:
            raise ServerError(85, 'An existing index has the same name as the requested '
                                  'index but different options: %s' % name)
        if existing['key'] == key:
            raise ServerError(85, 'Index already exists with a different name: %s' % name)
    if index.get('unique'):
        seen = set()
        for doc in coll.find(index.get('partialFilterExpression') or {}):
            key_value = {field: dotted_value(doc, field) for field, _ in key}
            if index.get('sparse') and all(v is None for v in key_value.values()):
                continue
            marker = json_util.dumps(key_value)  # hashable, and tells types apart
            if marker in seen:
                raise DuplicateKey(coll.full_name, spec['name'], dict(key), key_value)
            seen.add(marker)
    coll._store.create_index(spec['name'], index)


def list_indexes(db, cmd):
    namespace_must_exist(db, cmd['listIndexes'])
    coll = db[cmd['listIndexes']]
    docs = [{'v': 2, 'key': dict(info['key']), 'name': name,
             **{k: v for k, v in info.items() if k not in ('v', 'key')}}
            for name, info in coll.index_information().items()]
    batch_size = cmd.get('cursor', {}).get('batchSize', DEFAULT_BATCH_SIZE)
    return open_cursor(coll.full_name, docs, batch_size)


def drop_indexes(db, cmd):
    namespace_must_exist(db, cmd['dropIndexes'])
    coll = db[cmd['dropIndexes']]
    before = len(coll.index_information())
    wanted = cmd['index']
    if wanted == '*':
        coll.drop_indexes()
    else:
        names = wanted if isinstance(wanted, list) else [wanted]
        for name in names:
            if isinstance(name, dict):  # dropped by key pattern
                name = next((n for n, i in coll.index_information().items()
                             if dict(i['key']) == dict(name)), str(name))
            if name not in coll.index_information():
                raise ServerError(27, 'index not found with name [%s]' % name)
            coll.drop_index(name)
    return {'nIndexesWas': before}


# --- the server itself ---

def hello(db, cmd):
    name = next(iter(cmd))
    return {
        # mongod answers the legacy command with `ismaster`, `hello` with `isWritablePrimary`.
        ('isWritablePrimary' if name == 'hello' else 'ismaster'): True,
        'helloOk': True,
        'maxBsonObjectSize': 16 * 1024 * 1024,
        'maxMessageSizeBytes': 48000000,
        'maxWriteBatchSize': 100000,
        'localTime': datetime.now(timezone.utc),
        # Without it the driver disables sessions, and with them withTransaction.
        'logicalSessionTimeoutMinutes': 30,
        'minWireVersion': 0,
        'maxWireVersion': MAX_WIRE_VERSION,
        'readOnly': False,
    }


def build_info(db, cmd):
    return {'version': '6.0.0', 'versionArray': [6, 0, 0, 0], 'gitVersion': 'mongo-standin',
            'bits': 64, 'maxBsonObjectSize': 16 * 1024 * 1024, 'storageEngines': ['mongomock']}


def get_parameter(db, cmd):
    reply = {}
    if 'featureCompatibilityVersion' in cmd or cmd['getParameter'] == '*':
        reply['featureCompatibilityVersion'] = {'version': '6.0'}
    return reply


def reject_transaction(db, cmd):
    raise ServerError(20, 'Transaction numbers are only allowed on a replica set member or mongos')


def nothing_to_do(db, cmd):
    return {}


COMMANDS = {
    'hello': hello, 'isMaster': hello, 'ismaster': hello,
    'buildInfo': build_info, 'buildinfo': build_info, 'ping': nothing_to_do,
    'getParameter': get_parameter,
    'getCmdLineOpts': lambda db, cmd: {'argv': sys.argv, 'parsed': {}},
    'listDatabases': list_databases, 'listCollections': list_collections,
    'create': create, 'drop': drop, 'dropDatabase': drop_database,
    'insert': insert, 'update': update, 'delete': delete,
    'findAndModify': find_and_modify, 'findandmodify': find_and_modify,
    'find': find, 'getMore': get_more, 'killCursors': kill_cursors,
    'aggregate': aggregate, 'count': count, 'distinct': distinct, 'collStats': coll_stats,
    'createIndexes': create_indexes, 'listIndexes': list_indexes,
    'dropIndexes': drop_indexes, 'deleteIndexes': drop_indexes,
    # Sessions exist only in the driver; there is nothing to end on our side.
    'endSessions': nothing_to_do, 'killSessions': nothing_to_do,
    'killAllSessions': nothing_to_do, 'refreshSessions': nothing_to_do,
    'commitTransaction': reject_transaction, 'abortTransaction': reject_transaction,
}


# Commands that read no data, answered without waiting for LOCK: the driver's monitor sends
# hello every 10 s and drops every connection of a server that does not answer within its connect
# timeout (30 s), which a find over a million documents under a busy machine can outlast.
UNLOCKED = {'hello', 'isMaster', 'ismaster', 'ping', 'buildInfo', 'buildinfo'}

# The commands that change documents: mongomock changes them in place (documents.py).
WRITES = {'insert', 'update', 'delete', 'findAndModify', 'findandmodify'}


def uses_collation(cmd):
    statements = [*cmd.get('updates', []), *cmd.get('deletes', []), *cmd.get('indexes', [])]
    return 'collation' in cmd or any('collation' in stmt for stmt in statements)


def run_command(cmd, db_name):
    name = next(iter(cmd), '')
    try:
        # A standalone mongod refuses every transaction (and retryable write) number.
        if 'txnNumber' in cmd:
            reject_transaction(None, cmd)
        handler = COMMANDS.get(name)
        if handler is None:
            raise ServerError(59, "no such command: '%s'" % name)
        body = {k: v for k, v in cmd.items() if k not in DRIVER_FIELDS}
        if uses_collation(body):
            raise ServerError(238, 'collation is not supported by the stand-in (mongomock would '
                                   'ignore it and compare binary)')
        held = documents.writes_held() if name in WRITES else contextlib.nullcontext()
        with held:
            reply = handler(CLIENT[db_name], body)
    except Exception as exc:  # every failure becomes an error reply, never a dropped connection
        return {'ok': 0, **error_doc(exc)}
    return {**reply, 'ok': 1}


def respond(request):
    if not request.is_command:
        # Legacy OP_QUERY/OP_INSERT/... on collections: no driver for wire version >= 6 sends them.
        return request.hangup()
    if next(iter(request.doc), '') in UNLOCKED:
        reply = run_command(request.doc, request.namespace)
    else:
        # mockupdb handles a request holding its own server-wide lock; trade it for ours, so
        # that the commands above are answered meanwhile (and nothing waits for ours holding it).
        with request.server._unlock(), LOCK:
            reply = run_command(request.doc, request.namespace)
    if isinstance(request, mockupdb.OpMsg) and request.flags & mockupdb.OP_MSG_FLAGS['moreToCome']:
        return True  # an unacknowledged write: the client waits for no reply
    return request.replies(reply)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--port', type=int, default=0, help='0 picks a free port')
    parser.add_argument('--detached', action='store_true',
                        help='keep serving when stdin closes (a background service)')
    args = parser.parse_args()

    server = mockupdb.MockupDB(port=args.port)  # binds "localhost": 127.0.0.1 only
    server.autoresponds(respond)
    port = server.run()
    print(json.dumps({'uri': 'mongodb://127.0.0.1:%d' % port}), flush=True)

    done = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: done.set())
    if not args.detached:
        threading.Thread(target=lambda: (sys.stdin.read(), done.set()), daemon=True).start()
    while not done.wait(1):  # a timed wait lets signal handlers run promptly
        pass
    server.stop()


if __name__ == '__main__':
    main()
