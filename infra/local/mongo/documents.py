"""A collection's documents kept as BSON bytes, the way they came over the wire, and decoded
when read. A decoded document costs ten to twenty times its BSON size as Python objects (an
OrderedDict per subdocument, an object per string, number and date), which is what took the
stand-in to 17.5 GB at 837,000 imported participants.

mongomock changes the documents it updates in place, and expects a document it read to be the
stored one until it is done with it. So while a write command runs (see `writes_held`), a
document read or stored through the mapping stays decoded ("held"), every later read of it
in that command gets the same object, and when the command ends the held documents are encoded
back. Outside of write commands a read decodes a fresh copy, which nobody changes: mongomock's
reads copy what they return.
"""

import contextlib

import bson
from bson.errors import BSONError

CODEC_OPTIONS = None  # set by the server to the options it decodes requests with
_HOLDING = []  # [True] while a write command runs
_WITH_HELD = set()  # the Documents holding decoded documents, to encode back at the end


class Documents:
    """mongomock's documents of one collection by store key (the `_id`, or a hashdict of it),
    in insertion order, also numbering each key when first stored, so documents found through
    an index map can be put back in the order a scan would give."""

    def __init__(self):
        self._bson = {}  # store key -> BSON bytes, or None while a held document is new
        self._held = {}  # store key -> decoded document, during a write command
        self.position = {}
        self._next_position = 0
        self.on_delete = None  # set while the collection has index maps to keep current
        self.on_restore = None  # likewise, for a document put back as it was

    def __getitem__(self, key):
        held = self._held.get(key)
        if held is not None:
            return held
        doc = bson.decode(self._bson[key], codec_options=CODEC_OPTIONS)
        if _HOLDING:
            self._hold(key, doc)
        return doc

    def get(self, key, default=None):
        """The document for a look that changes nothing: not held, even in a write command."""
        held = self._held.get(key)
        if held is not None:
            return held
        data = self._bson.get(key)
        return default if data is None else bson.decode(data, codec_options=CODEC_OPTIONS)

    def hold(self, key, doc):
        """The document to hand to mongomock for `key`, given `doc` as just read with get(): the
        held one when there is one, and `doc` (held from now on) in a write command."""
        held = self._held.get(key)
        if held is not None:
            return held
        if _HOLDING:
            self._hold(key, doc)
        return doc

    def __setitem__(self, key, doc):
        if key not in self.position:
            self.position[key] = self._next_position
            self._next_position += 1
        if _HOLDING:
            self._bson.setdefault(key, None)
            self._hold(key, doc)
        else:
            self._bson[key] = bson.encode(doc, codec_options=CODEC_OPTIONS)
            self._held.pop(key, None)

    def __delitem__(self, key):
        del self._bson[key]
        self._held.pop(key, None)
        del self.position[key]
        if self.on_delete is not None:
            self.on_delete(key)

    def _hold(self, key, doc):
        self._held[key] = doc
        _WITH_HELD.add(self)

    def __contains__(self, key):
        return key in self._bson

    def __len__(self):
        return len(self._bson)

    def __iter__(self):
        return iter(self._bson)

    def keys(self):
        return self._bson.keys()

    def values(self):
        return (self.get(key) for key in list(self._bson))

    def items(self):
        return ((key, self.get(key)) for key in list(self._bson))

    def encode_held(self):
        """Stores the held documents as BSON again. One that BSON cannot hold (an integer past
        64 bits after an $inc) is put back as it was before the command, or removed when the
        command stored it, and the failure raised once the others are stored."""
        held, self._held = self._held, {}
        failure = None
        for key, doc in held.items():
            if key not in self._bson:
                continue  # deleted in the same command
            try:
                self._bson[key] = bson.encode(doc, codec_options=CODEC_OPTIONS)
            except (BSONError, OverflowError, TypeError, ValueError) as exc:
                failure = failure or exc
                if self._bson[key] is None:
                    del self[key]
                elif self.on_restore is not None:
                    self.on_restore(self.get(key))
        if failure is not None:
            raise ValueError('a document could not be stored as BSON: %s' % failure)

    def bson_bytes(self):
        """The BSON size of the stored documents (held ones as last stored)."""
        return sum(len(data) for data in self._bson.values() if data is not None)


@contextlib.contextmanager
def writes_held():
    """Around a write command: documents read or stored stay decoded and shared while it runs,
    then are encoded back, whatever became of the command."""
    _HOLDING.append(True)
    try:
        yield
    finally:
        _HOLDING.pop()
        if not _HOLDING:
            failure = None
            while _WITH_HELD:
                try:
                    _WITH_HELD.pop().encode_held()
                except ValueError as exc:
                    failure = failure or exc
            if failure is not None:
                raise failure
