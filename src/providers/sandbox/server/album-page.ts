import type { FastifyPluginAsync } from 'fastify';
import { liveAlbum } from './albums.js';
import { errorPage, escapeHtml, layout, sendHtml } from './html.js';
import type { SandboxServerOptions } from './options.js';
import { field } from './params.js';

/** GET /album/:id — where a Sandbox smart link (external_urls.sandbox) lands. No sign-in. */
export function albumPageRoutes(opts: SandboxServerOptions): FastifyPluginAsync {
  return async (app) => {
    app.get('/album/:id', async (request, reply) => {
      const release = await liveAlbum(opts.db, field(request.params, 'id') ?? '', opts.now());
      if (!release) return sendHtml(reply, 404, errorPage('Not found', 'There is no such album in the Sandbox, or it is not out yet.'));
      const trackCount = release.isrcs.length;
      return sendHtml(
        reply,
        200,
        layout(
          `${release.title} — ${release.artistName} (Sandbox)`,
          `<h2>${escapeHtml(release.title)}</h2><p>by <strong>${escapeHtml(release.artistName)}</strong></p>` +
            `<p class="note">${escapeHtml(`${release.releaseType}, ${trackCount} track${trackCount === 1 ? '' : 's'}`)}. ` +
            'This album exists only in the Sandbox, a pretend streaming service; nothing here plays.</p>',
        ),
      );
    });
  };
}
