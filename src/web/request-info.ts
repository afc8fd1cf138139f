import type { FastifyRequest } from 'fastify';

/** The fan's preferred locale from Accept-Language (first tag, BCP 47 shape), or null. */
export function localeOf(req: FastifyRequest): string | null {
  return localeFromHeader(req.headers['accept-language']);
}

/** {@link localeOf} from the Accept-Language header's value. */
export function localeFromHeader(header: string | undefined): string | null {
  if (typeof header !== 'string') return null;
  const first = header.split(',')[0]?.split(';')[0]?.trim() ?? '';
  return /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8}){0,3}$/.test(first) ? first : null;
}

/** The fan's language (`en` when unknown), from the request or from its {@link localeOf} already read. */
export function langOf(from: FastifyRequest | string | null): string {
  const locale = from === null || typeof from === 'string' ? from : localeOf(from);
  return (locale ?? 'en').split('-')[0]!.toLowerCase();
}
