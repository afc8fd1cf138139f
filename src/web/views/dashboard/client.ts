/**
 * The dashboard's browser script, served as a file (/assets/dash/dashboard-<hash>.js, see
 * src/dashboard/assets.ts) and loaded with the page's CSP nonce. It draws the time series with
 * uPlot from the JSON the page embeds, and refreshes the numbers from stats.json every few seconds
 * while a fan-out is under way (every 30 s otherwise; not while the tab is hidden). Everything it
 * shows is also in the page as rendered by the server, so the page works without it.
 */
export const DASHBOARD_CLIENT_JS = `(function () {
  'use strict';
  var node = document.getElementById('dash-data');
  if (!node) return;
  var d = JSON.parse(node.textContent || '{}');

  var chartEl = document.getElementById('chart');
  if (chartEl && d.chart && typeof uPlot === 'function') {
    var c = d.chart;
    var axis = { stroke: '#a1a1b0', grid: { stroke: '#2a2a35', width: 1 }, ticks: { stroke: '#2a2a35', width: 1 } };
    var line = function (label, color, width) {
      return { label: label, stroke: color, width: width, points: { show: false } };
    };
    var size = function () {
      return { width: Math.max(200, chartEl.clientWidth), height: 280 };
    };
    var releaseLine = function (u) {
      if (c.release == null) return;
      var x = u.valToPos(c.release, 'x', true);
      if (x < u.bbox.left || x > u.bbox.left + u.bbox.width) return;
      var g = u.ctx;
      g.save();
      g.strokeStyle = '#f59e0b';
      g.lineWidth = 2;
      g.setLineDash([6, 4]);
      g.beginPath();
      g.moveTo(x, u.bbox.top);
      g.lineTo(x, u.bbox.top + u.bbox.height);
      g.stroke();
      g.restore();
    };
    // One declared zone (the page says which) for the axis, the tooltip and the release line:
    // never the viewer's own zone.
    var inZone = function (ts) {
      return uPlot.tzDate(new Date(ts * 1000), c.zone === 'UTC' ? 'Etc/UTC' : c.zone);
    };
    var two = function (n) {
      return (n < 10 ? '0' : '') + n;
    };
    var stamp = function (ts) {
      var d = inZone(ts);
      return d.getFullYear() + '-' + two(d.getMonth() + 1) + '-' + two(d.getDate()) + ' ' + two(d.getHours()) + ':' + two(d.getMinutes());
    };
    var bucketLabel = function (u, ts) {
      if (ts == null) return '—';
      return stamp(ts - c.unit) + '–' + stamp(ts).slice(c.unit >= 86400 ? 0 : 11) + ' ' + c.zone;
    };
    var s = size();
    var plot = new uPlot(
      {
        width: s.width,
        height: s.height,
        tzDate: inZone,
        scales: { x: { time: true } },
        series: [
          { label: 'Time', value: bucketLabel },
          line('Page views', '#a78bfa', 1.5),
          line('Service clicks', '#60a5fa', 1.5),
          line('Pre-saves', '#f472b6', 2.5),
          line('Saved', '#34d399', 2),
        ],
        axes: [axis, axis],
        hooks: { draw: [releaseLine] },
      },
      [c.t, c.views, c.clicks, c.presaves, c.saved],
      chartEl,
    );
    window.addEventListener('resize', function () {
      plot.setSize(size());
    });
    chartEl.setAttribute('data-ready', 'true');
    chartEl.setAttribute('data-zone', c.zone);
  }

  if (!d.statsUrl) return;
  var live = !!d.live;
  function apply(st) {
    var v = st.values || {};
    var els = document.querySelectorAll('[data-stat]');
    for (var i = 0; i < els.length; i++) {
      var k = els[i].getAttribute('data-stat');
      if (Object.prototype.hasOwnProperty.call(v, k) && els[i].textContent !== v[k]) els[i].textContent = v[k];
    }
    var bar = document.getElementById('delivery-progress');
    if (bar && typeof st.progress === 'number') bar.value = st.progress;
    live = !!st.live;
  }
  function schedule() {
    setTimeout(tick, live ? 5000 : 30000);
  }
  function tick() {
    if (document.hidden) return schedule();
    fetch(d.statsUrl, { headers: { accept: 'application/json' }, credentials: 'same-origin', cache: 'no-store' })
      .then(function (r) {
        return r.ok ? r.json() : null;
      })
      .then(function (st) {
        if (st) apply(st);
      })
      .catch(function () {})
      .then(schedule);
  }
  schedule();
})();
`;
