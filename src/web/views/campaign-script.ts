/**
 * The campaign page's only script: fills in the fan's IANA time zone for the connect forms and
 * runs the countdown. The page works without it (the campaign's zone is then used). Kept as a
 * plain string, not an html`` template, so no formatter or escaper can alter the code.
 */
export const CAMPAIGN_SCRIPT = `(function () {
  var tz = '';
  try { tz = Intl.DateTimeFormat().resolvedOptions().timeZone || ''; } catch (e) {}
  document.querySelectorAll('[data-tz]').forEach(function (i) { i.value = tz; });
  var el = document.getElementById('countdown');
  if (!el) return;
  var c = JSON.parse(el.getAttribute('data-release'));
  // Local timing: the wall time without an offset, which the browser reads in the fan's own zone.
  var target = c.timing === 'local' ? new Date(c.local).getTime() : c.at;
  function pad(n) { return String(n).padStart(2, '0'); }
  // A fan who asks for less motion gets a countdown that changes once a minute, without seconds.
  var calm = !!(window.matchMedia && window.matchMedia('(prefers-reduced-motion: reduce)').matches);
  function tick() {
    var s = Math.max(0, Math.floor((target - Date.now()) / 1000));
    if (s === 0) { el.textContent = 'Out now \\u2014 saving to every pre-saver\\u2019s library'; return; }
    var d = Math.floor(s / 86400), h = Math.floor((s % 86400) / 3600), m = Math.floor((s % 3600) / 60);
    el.textContent = (d ? d + 'd ' : '') + pad(h) + ':' + pad(m) + (calm ? '' : ':' + pad(s % 60)) + ' until release';
    setTimeout(tick, calm ? (s % 60 || 60) * 1000 : 1000);
  }
  tick();
})();`;
