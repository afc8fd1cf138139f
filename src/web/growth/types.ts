import type { FastifyRequest } from 'fastify';
import type { Role } from '../../accounts/roles.js';
import type { Workspace } from '../../accounts/workspaces.js';
import type { Campaign } from '../../campaigns/repo.js';
import type { AppContext } from '../../context.js';
import type { Lang } from '../../i18n/index.js';
import type { PresaveRow } from '../../presaves/repo.js';
import type { SafeHtml } from '../html.js';

/** What each growth section of the fan's receipt page (/p/<id>) is given. */
export interface ReceiptInput {
  ctx: AppContext;
  req: FastifyRequest;
  campaign: Campaign;
  presave: PresaveRow;
  lang: Lang;
  /** The CSRF field for the section's forms. */
  csrf: SafeHtml;
  nonce: string;
  /** `?lang=…` when the fan asked for a language (forms keep it), else ''. */
  keepLang: string;
  now: number;
}

/** What each growth panel of the artist's campaign dashboard, and each section of its Growth page, is given. */
export interface ArtistInput {
  ctx: AppContext;
  req: FastifyRequest;
  campaign: Campaign;
  workspace: Workspace;
  role: Role;
  /** May change things (editor and up, not an operator looking in). */
  mayEdit: boolean;
  /** `/w/<ws>/campaigns/<slug>`. */
  base: string;
  now: number;
}

export type Section = SafeHtml | '';
