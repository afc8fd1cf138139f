/**
 * The few JSON:API shapes of the TIDAL API v2 that Dropday reads (see tidal-api.openapi.json:
 * Albums_Resource_Object, Tracks_Resource_Object, Artists_Resource_Object, the *_Multi_Relationship_Data_Document
 * family and Links). Everything is optional here because answers are checked, not trusted.
 */
export interface ResourceIdentifier {
  id: string;
  type: string;
  meta?: Record<string, unknown>;
}

export interface RelationshipDoc {
  data?: ResourceIdentifier[] | ResourceIdentifier | null;
  links?: Links;
}

export interface Links {
  self?: string;
  next?: string;
  meta?: { nextCursor?: string };
}

export interface ResourceObject {
  id: string;
  type: string;
  attributes?: Record<string, unknown>;
  relationships?: Record<string, RelationshipDoc | undefined>;
}

export interface Document {
  data?: ResourceObject | ResourceObject[] | ResourceIdentifier[] | null;
  included?: ResourceObject[];
  links?: Links;
  meta?: Record<string, unknown>;
}

export interface ErrorObject {
  status?: string;
  code?: string;
  detail?: string;
}

/** JSON:API media type: TIDAL sends and expects it for every request and answer. */
export const JSON_API = 'application/vnd.api+json';

export function asArray<T>(v: T | T[] | null | undefined): T[] {
  if (v === null || v === undefined) return [];
  return Array.isArray(v) ? v : [v];
}

/** Resources of `doc.data` (objects with an id and a type; identifiers pass too). */
export function primary(doc: Document | null): ResourceObject[] {
  return asArray(doc?.data as ResourceObject | ResourceObject[] | null | undefined).filter(
    (r): r is ResourceObject => !!r && typeof r.id === 'string' && typeof r.type === 'string',
  );
}

/** Index of `included` by "type:id". */
export function includedIndex(doc: Document | null): Map<string, ResourceObject> {
  const map = new Map<string, ResourceObject>();
  for (const r of doc?.included ?? []) if (r && typeof r.id === 'string') map.set(`${r.type}:${r.id}`, r);
  return map;
}

/** Identifiers of a to-many relationship of a resource (empty when not included in the answer). */
export function related(resource: ResourceObject, name: string): ResourceIdentifier[] {
  return asArray(resource.relationships?.[name]?.data).filter((r): r is ResourceIdentifier => !!r && typeof r.id === 'string');
}

export function str(attrs: Record<string, unknown> | undefined, key: string): string | undefined {
  const v = attrs?.[key];
  return typeof v === 'string' ? v : undefined;
}

/** The cursor of the next page: `links.meta.nextCursor`, or `page[cursor]` from `links.next`. */
export function nextCursor(links: Links | undefined): string | undefined {
  if (links?.meta?.nextCursor) return links.meta.nextCursor;
  if (!links?.next) return undefined;
  try {
    return new URL(links.next, 'https://x.invalid/').searchParams.get('page[cursor]') ?? undefined;
  } catch {
    return undefined;
  }
}
