/**
 * Colours for Swagger UI at /api/docs where its own fail WCAG AA contrast (the version badges, the
 * document's address, links). Served as a file by @fastify/swagger-ui, so the page's CSP needs no
 * inline style for it.
 */
export const DOCS_THEME_CSS = `
.swagger-ui .info .title small { background: #4b5563; }
.swagger-ui .info .title small.version-stamp { background: #3f6212; }
.swagger-ui .info .title small pre, .swagger-ui .info .title small.version-stamp pre { color: #ffffff; }
.swagger-ui .info .base-url, .swagger-ui .info .url { color: #374151; }
.swagger-ui .info a, .swagger-ui .info .link, .swagger-ui a.nostyle, .swagger-ui .info__license__url .link { color: #1d4ed8; }
.swagger-ui .opblock-tag small, .swagger-ui .opblock .opblock-summary-description { color: #374151; }
.swagger-ui .opblock.opblock-get .opblock-summary-method { background: #1d4ed8; }
.swagger-ui .opblock.opblock-post .opblock-summary-method { background: #047857; }
.swagger-ui .opblock.opblock-put .opblock-summary-method { background: #b45309; }
.swagger-ui .opblock.opblock-patch .opblock-summary-method { background: #0f766e; }
.swagger-ui .opblock.opblock-delete .opblock-summary-method { background: #b91c1c; }
.swagger-ui .btn.authorize { color: #047857; border-color: #047857; }
.swagger-ui .btn.authorize svg { fill: #047857; }
.swagger-ui .parameter__in, .swagger-ui .parameter__deprecated, .swagger-ui .prop-format, .swagger-ui .parameter__type { color: #4b5563; }
/* The "copy path" button of each operation is 0 px wide until the row is hovered and then animates
   open: a keyboard user would focus an invisible button, and a finding of axe's target-size rule
   caught it mid-animation. It is always shown, full size, without the animation. */
.swagger-ui .opblock .opblock-summary .view-line-link.copy-to-clipboard { width: 24px; margin: 0 5px; transition: none; }
/* Examples wrap instead of scrolling: a scrolled box must be focusable, and Swagger UI's is not. */
.swagger-ui .highlight-code > .microlight { overflow: visible; max-height: none; white-space: pre-wrap; word-break: break-word; }
`;
