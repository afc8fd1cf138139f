import { Type } from 'typebox';
import type { AppContext } from '../../context.js';
import { DropdayError, ERRORS, type ErrorCode } from '../../errors.js';
import type { Api } from '../index.js';
import { ProblemSchema } from '../schemas.js';

const ErrorCodeSchema = Type.Object({ code: Type.String(), status: Type.Integer(), title: Type.String() }, { $id: 'ErrorCode' });

function entry(code: ErrorCode) {
  return { code: `DROPDAY_ERR_${code}`, status: ERRORS[code].status, title: ERRORS[code].message };
}

/**
 * The error index: every problem's `type` is `/api/v1/errors/DROPDAY_ERR_…`, and that address says
 * what the code means. Public (no key), like the OpenAPI document.
 */
// eslint-disable-next-line @typescript-eslint/no-unused-vars
export function metaRoutes(api: Api, ctx: AppContext): void {
  api.addSchema(ProblemSchema);
  api.addSchema(ErrorCodeSchema);
  api.get(
    '/errors',
    {
      config: { public: true },
      schema: {
        operationId: 'listErrorCodes',
        tags: ['meta'],
        summary: 'Every error code the API answers with',
        description:
          'Each code with its HTTP status and title (docs/api-errors.md says more about each). A problem’s `type` is the address of its entry here. No key needed.',
        security: [],
        response: { 200: Type.Object({ data: Type.Array(Type.Ref('ErrorCode')) }) },
      },
    },
    async () => ({ data: (Object.keys(ERRORS) as ErrorCode[]).map(entry) }),
  );
  api.get(
    '/errors/:code',
    {
      config: { public: true },
      schema: {
        operationId: 'getErrorCode',
        tags: ['meta'],
        summary: 'What one error code means',
        description: 'Takes the code with or without its `DROPDAY_ERR_` prefix; an unknown code is a 404. No key needed.',
        security: [],
        params: Type.Object({ code: Type.String({ maxLength: 80 }) }),
        response: { 200: Type.Ref('ErrorCode'), 404: Type.Ref('Problem') },
      },
    },
    async (req) => {
      const code = req.params.code.replace(/^DROPDAY_ERR_/, '') as ErrorCode;
      if (!Object.hasOwn(ERRORS, code)) throw new DropdayError('NOT_FOUND', `There is no error code ${req.params.code}.`);
      return entry(code);
    },
  );
}
