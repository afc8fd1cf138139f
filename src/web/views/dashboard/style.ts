import { dashAssets } from '../../../dashboard/assets.js';
import { html, raw, type SafeHtml } from '../../html.js';

const STYLE = `
main{max-width:72rem}
.dash-head{display:flex;flex-wrap:wrap;gap:1rem;align-items:flex-end;justify-content:space-between}
.dash-head h1{margin:0}.dash-head .actions{display:flex;flex-wrap:wrap;gap:.5rem}
.dash-head .actions a{display:inline-block;padding:.4rem .8rem;border-radius:.5rem;background:#2a2a35;text-decoration:none;font-size:.9rem}
.crumbs{font-size:.9rem;margin-bottom:.5rem}
.funnel{display:grid;grid-template-columns:repeat(4,1fr);gap:.75rem;margin:1rem 0 .5rem}
.stage{background:#0f0f14;border-radius:.75rem;padding:1rem;position:relative}
.stage .n{font-size:2rem;font-weight:700;font-variant-numeric:tabular-nums;line-height:1.2}
.stage .label{color:var(--muted);font-size:.85rem}
.stage .step{display:block;font-size:.8rem;color:#c4b5fd;margin-top:.35rem}
.kpis{display:flex;flex-wrap:wrap;gap:1.5rem;color:var(--muted);font-size:.9rem;margin:.5rem 0 0}
.kpis strong{color:var(--fg);font-variant-numeric:tabular-nums}
.grid2{display:grid;grid-template-columns:1fr 1fr;gap:1.25rem;margin-bottom:1.25rem}
.grid2>.panel{margin-bottom:0}
.panel table{font-size:.9rem}.panel td.n,.panel th.n{text-align:right;font-variant-numeric:tabular-nums}
.empty{color:var(--muted);background:#0f0f14;border:1px dashed #3a3a48;border-radius:.75rem;padding:1.25rem;text-align:center;margin:.5rem 0}
#chart{min-height:280px}
.world-map{width:100%;height:auto;display:block;border-radius:.75rem}
.world-map .sea{fill:#0f0f14}
.world-map path{stroke:#0f0f14;stroke-width:.5}
.world-map path:hover{stroke:#fff;stroke-width:1}
.world-map .city{fill:#f59e0b;fill-opacity:.75;stroke:#111;stroke-width:.8}
.world-map .legend text{fill:#a1a1b0;font:12px system-ui,sans-serif}
.toggle{font-size:.85rem;margin:.25rem 0 .5rem}.toggle a,.toggle strong{margin-right:.75rem}
progress{width:100%;height:1rem;accent-color:#34d399}
#delivery table{margin-top:.75rem}
.attribution{font-size:.8rem;color:var(--muted)}
.reasons{margin:.25rem 0 0;padding-left:1.25rem;font-size:.9rem}
.overview td.n,.overview th.n{text-align:right;font-variant-numeric:tabular-nums}
.overview tfoot td{font-weight:700;border-bottom:0}
.attention{border:1px solid #854d0e}.attention h2{color:#fde68a}.attention li{margin:.4rem 0}
.tag{display:inline-block;padding:.05rem .5rem;border-radius:999px;background:#2a2a35;font-size:.75rem;color:var(--muted)}
.banner{border:1px solid #854d0e;background:#2a2312}.banner.alert{border-color:#b91c1c;background:#2a1414}
.banner h2{margin-top:0;font-size:1.1rem}.banner code,.failures code{overflow-wrap:anywhere;white-space:pre-wrap}
.banner-actions{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center}.banner-actions form{margin:0}
.inline-action{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center;margin:.75rem 0}
.failures li{margin:.5rem 0}.failures details{font-size:.85rem;color:var(--muted)}
.delivery-state[data-outcome="failed"] strong{color:#fca5a5}.delivery-state[data-state="paused"] strong{color:#fde68a}
.scroll{overflow-x:auto;max-width:100%}
.help{font-size:.85rem;color:var(--muted)}.help dt{font-weight:600;color:var(--fg)}.help dd{margin:0 0 .5rem}
@media (max-width:800px){.funnel{grid-template-columns:repeat(2,1fr)}.grid2{grid-template-columns:1fr}}
@media (max-width:400px){.stage .n{font-size:1.5rem}.kpis{gap:.75rem}}
`;

/** The dashboard's own styles (and uPlot's, inlined), in a block carrying the CSP nonce. */
export function dashStyle(nonce: string): SafeHtml {
  return html`<style nonce="${nonce}">
    ${raw(STYLE)}${raw(dashAssets().uplotCss)}
  </style>`;
}
