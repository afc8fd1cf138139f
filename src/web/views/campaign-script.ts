/**
 * The campaign page's only script: fills in the fan's IANA time zone for the connect forms and
 * the calendar link (reach/calendar), and runs the countdown. The page works without it (the campaign's zone is then used). Kept as a
 * plain string, not an html`` template, so no formatter or escaper can alter the code; its CSP
 * hash is the same for every language: the countdown's words and locale come from the element's
 * `data-words` (i18n/client.ts), and numbers are written with the locale's own digits.
 */
export const CAMPAIGN_SCRIPT = `(function () {
  var tz = '';
  try { tz = Intl.DateTimeFormat().resolvedOptions().timeZone || ''; } catch (e) {}
  document.querySelectorAll('[data-tz]').forEach(function (i) { i.value = tz; });
  // The calendar file of a local-timing release is written in the fan's own zone when it is known.
  if (tz) document.querySelectorAll('a[data-tz-link]').forEach(function (a) { a.setAttribute('href', a.getAttribute('href') + '&tz=' + encodeURIComponent(tz)); });
  var el = document.getElementById('countdown');
  if (!el) return;
  var c = JSON.parse(el.getAttribute('data-release'));
  var w = JSON.parse(el.getAttribute('data-words'));
  // Local timing: the wall time without an offset, which the browser reads in the fan's own zone.
  var target = c.timing === 'local' ? new Date(c.local).getTime() : c.at;
  var two = new Intl.NumberFormat(w.locale, { minimumIntegerDigits: 2, useGrouping: false });
  var count = new Intl.NumberFormat(w.locale);
  var plural = new Intl.PluralRules(w.locale);
  function days(d) {
    var form = w.days['=' + d] || w.days[plural.select(d)] || w.days.other;
    return form.replace('#', count.format(d));
  }
  // A fan who asks for less motion gets a countdown that changes once a minute, without seconds.
  var calm = !!(window.matchMedia && window.matchMedia('(prefers-reduced-motion: reduce)').matches);
  function tick() {
    var s = Math.max(0, Math.floor((target - Date.now()) / 1000));
    if (s === 0) { el.textContent = w.out; return; }
    var d = Math.floor(s / 86400), h = Math.floor((s % 86400) / 3600), m = Math.floor((s % 3600) / 60);
    var time = two.format(h) + ':' + two.format(m) + (calm ? '' : ':' + two.format(s % 60));
    el.textContent = w.left.replace('{time}', (d ? days(d) + ' ' : '') + time);
    setTimeout(tick, calm ? (s % 60 || 60) * 1000 : 1000);
  }
  tick();
})();`;
