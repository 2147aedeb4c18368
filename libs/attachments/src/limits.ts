/** The file types and size a service accepts, and its refusal of a larger file. */
import { AppError } from '@learning/errors';

/** Scans and photos of a handwritten page, or a document: what people attach to an entry or a request. */
export const DOCUMENT_AND_IMAGE_TYPES: readonly string[] = [
  'application/pdf',
  'image/jpeg',
  'image/png',
  'image/webp',
  'text/plain',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
];

const MIB = 1024 * 1024;

/** 413 with `code`, naming the limit in MB when it is whole megabytes' worth. */
export const attachmentTooLarge = (code: string, maxBytes: number): AppError =>
  new AppError(
    'payload_too_large',
    code,
    maxBytes >= MIB
      ? `An attached file has at most ${Math.floor(maxBytes / MIB)} MB.`
      : `An attached file has at most ${maxBytes} bytes.`,
  );
