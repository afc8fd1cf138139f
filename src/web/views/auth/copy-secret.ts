import type { FastifyRequest } from 'fastify';
import { html, type SafeHtml } from '../../html.js';

/**
 * A secret shown once (an API key, a webhook signing secret) with a Copy button that works: the
 * value in a `<code id>`, the button, and "Copied." (or, where the browser refuses the clipboard,
 * a line saying to select and copy it by hand) announced to screen readers. One page shows at
 * most one such secret; the script is small and carries the page's nonce.
 */
export function copySecret(req: FastifyRequest, id: string, value: string, attrs: SafeHtml | '' = ''): SafeHtml {
  return html`<p class="secret"><code id="${id}" ${attrs}>${value}</code></p>
    <p>
      <button class="btn small" type="button" data-copy="${id}">Copy</button>
      <span class="hint" data-copy-status role="status" aria-live="polite"></span>
    </p>
    <script nonce="${req.cspNonce}">
      document.querySelectorAll('[data-copy]').forEach(function (b) {
        var say = b.parentNode.querySelector('[data-copy-status]');
        b.addEventListener('click', function () {
          var text = document.getElementById(b.getAttribute('data-copy')).textContent;
          var done = function () { say.textContent = 'Copied.'; };
          var failed = function () { say.textContent = 'Your browser did not allow copying: select the text above and copy it.'; };
          if (navigator.clipboard && navigator.clipboard.writeText) navigator.clipboard.writeText(text).then(done, failed);
          else failed();
        });
      });
    </script>`;
}
