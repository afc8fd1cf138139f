import { Ajv, type Options } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';

/**
 * The API's validators. Unlike Fastify's defaults, a body is never coerced ("5" is not 5) and an
 * unknown field is refused by name rather than dropped in silence, so a client's typo is a 400 that
 * says what is wrong, not a request that did something else. Query strings and path parameters are
 * text on the wire, so they are coerced to the declared types.
 */
const common: Options = { allErrors: true, useDefaults: true, removeAdditional: false, strict: false };
const bodies = addFormats.default(new Ajv({ ...common, coerceTypes: false }));
const params = addFormats.default(new Ajv({ ...common, coerceTypes: 'array' }));

export const apiValidatorCompiler: FastifySchemaCompiler<unknown> = ({ schema, httpPart }) => {
  const ajv = httpPart === 'body' ? bodies : params;
  return ajv.compile(schema as object) as ReturnType<FastifySchemaCompiler<unknown>>;
};
