/**
 * Reads the form bodies parse services post (urlencoded, or multipart/form-data when there are
 * attachments) from the raw bytes, without a dependency: we need the fields and, for files, only
 * their name, type and size.
 */
export type FormFile = {
  field: string;
  filename: string | null;
  contentType: string;
  size: number;
  data: Buffer;
};
export type FormData = { fields: Map<string, string>; files: FormFile[] };

const CRLF = Buffer.from('\r\n');
const HEADER_END = Buffer.from('\r\n\r\n');

function param(header: string, name: string): string | null {
  const re = new RegExp(`(?:^|;)\\s*${name}\\*?=\\s*(?:"((?:[^"\\\\]|\\\\.)*)"|([^;\\s]*))`, 'i');
  const m = re.exec(header);
  if (!m) return null;
  return (m[1] ?? m[2] ?? '').replace(/\\(.)/g, '$1');
}

export class MalformedFormError extends Error {}

/** multipart/form-data (RFC 7578) → fields and files. Throws MalformedFormError on a broken body. */
export function parseMultipart(body: Buffer, contentType: string): FormData {
  const boundary = param(contentType, 'boundary');
  if (!boundary) throw new MalformedFormError('multipart body without boundary');
  const delimiter = Buffer.from(`--${boundary}`);
  const fields = new Map<string, string>();
  const files: FormFile[] = [];
  let pos = body.indexOf(delimiter);
  if (pos < 0) throw new MalformedFormError('multipart boundary not found');
  for (;;) {
    pos += delimiter.length;
    if (body.subarray(pos, pos + 2).toString() === '--') break; // closing delimiter
    if (body.subarray(pos, pos + 2).equals(CRLF)) pos += 2;
    const headerEnd = body.indexOf(HEADER_END, pos);
    if (headerEnd < 0) throw new MalformedFormError('multipart part without headers');
    const headers = body.subarray(pos, headerEnd).toString('utf8').split('\r\n');
    const next = body.indexOf(Buffer.concat([CRLF, delimiter]), headerEnd + 4);
    if (next < 0) throw new MalformedFormError('multipart part not terminated');
    const data = body.subarray(headerEnd + 4, next);
    const disposition = headers.find((h) => /^content-disposition:/i.test(h)) ?? '';
    const typeHeader = headers.find((h) => /^content-type:/i.test(h));
    const type = typeHeader?.replace(/^content-type:\s*/i, '') ?? 'text/plain';
    const name = param(disposition, 'name');
    const filename = param(disposition, 'filename');
    if (name !== null) {
      if (filename !== null) {
        files.push({ field: name, filename: filename || null, contentType: type, size: data.length, data });
      } else if (!fields.has(name)) {
        fields.set(name, data.toString('utf8'));
      }
    }
    pos = next + 2;
  }
  return { fields, files };
}

/** The form in a webhook body, by its Content-Type. */
export function readForm(body: Buffer, contentType: string | undefined): FormData {
  const type = (contentType ?? '').toLowerCase();
  if (type.startsWith('multipart/form-data')) return parseMultipart(body, contentType ?? '');
  if (type.startsWith('application/x-www-form-urlencoded')) {
    const fields = new Map<string, string>();
    for (const [k, v] of new URLSearchParams(body.toString('utf8'))) if (!fields.has(k)) fields.set(k, v);
    return { fields, files: [] };
  }
  throw new MalformedFormError(`expected a form body, got ${type || 'no content type'}`);
}
