import { ValidationError } from '../errors.js';

/**
 * The fields of a form as this app's pages send it (urlencoded, or multipart text fields): each a
 * string, or a list of strings for a field that may repeat (checkboxes). Anything else — a number
 * or an object from a JSON body, a field sent twice that a form sends once — is a 400 naming the
 * field, so handlers only ever see the types they expect.
 */
export type FormFields = Record<string, string | string[] | undefined>;

export interface MultipartFields {
  fields: Map<string, string[]>;
}

export function isMultipartBody(body: unknown): body is MultipartFields {
  return typeof body === 'object' && body !== null && (body as { fields?: unknown }).fields instanceof Map;
}

export function formFields(body: unknown, repeatable: readonly string[] = []): FormFields {
  const out: FormFields = {};
  if (body === undefined || body === null) return out;
  const entries: [string, unknown][] = isMultipartBody(body)
    ? [...body.fields].map(([k, v]) => [k, v.length === 1 ? v[0] : v])
    : typeof body === 'object'
      ? Object.entries(body)
      : [['body', body]];
  const errs: Record<string, string> = {};
  for (const [name, value] of entries) {
    if (typeof value === 'string') out[name] = value;
    else if (Array.isArray(value) && value.every((v) => typeof v === 'string')) {
      if (repeatable.includes(name)) out[name] = value as string[];
      else errs[name] = 'was sent more than once; the form sends it once';
    } else errs[name] = 'must be text';
  }
  if (Object.keys(errs).length) throw new ValidationError(errs);
  return out;
}
