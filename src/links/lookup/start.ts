import type { AppContext } from '../../context.js';
import { LinkLookupRunner } from './runner.js';

/** Starts store-link look-ups in a worker process, unless LINK_LOOKUP_ENABLED is off. */
export function startLinkLookups(ctx: AppContext): LinkLookupRunner | null {
  if (!ctx.config.linkLookup.enabled) return null;
  const runner = new LinkLookupRunner(ctx);
  runner.start();
  return runner;
}
