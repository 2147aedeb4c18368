export type {
  AttachmentRef,
  AttachmentStore,
  AttachmentUpload,
  StoredAttachment,
} from './ports.js';
export { attachmentTooLarge, DOCUMENT_AND_IMAGE_TYPES } from './limits.js';
export { GridFsAttachmentStore, type GridFsAttachmentOptions } from './gridfs.js';
export {
  AttachmentView,
  attachmentView,
  contentLengthOf,
  downloadHeaders,
  FileNameQuery,
  PendingUpload,
  uploadBodyParser,
} from './http.js';
