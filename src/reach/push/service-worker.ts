/**
 * The service worker served at `/sw.js` on the public origin (scope `/`), registered by the
 * "Notify me in this browser" button. A push carries the JSON of `PushPayload`
 * (reach/messages/channel.ts): `{title, body, url, icon, tag}`. It only shows notifications
 * and opens their link: no caching, no fetch handler, so it can never stand between a fan and a
 * page. A click opens only an address on this origin (the payload's `url` is on PUBLIC_URL by
 * contract); anything else opens the site's root, so a payload cannot become an open redirect.
 * Kept as one constant string, like the pages' scripts.
 */
export const SERVICE_WORKER = `'use strict';
self.addEventListener('install', function () { self.skipWaiting(); });
self.addEventListener('activate', function (event) { event.waitUntil(self.clients.claim()); });
self.addEventListener('push', function (event) {
  var d = {};
  try { d = event.data ? event.data.json() : {}; } catch (e) { d = {}; }
  var options = { body: typeof d.body === 'string' ? d.body : '', data: { url: typeof d.url === 'string' ? d.url : '/' } };
  if (typeof d.tag === 'string') options.tag = d.tag;
  if (typeof d.icon === 'string') options.icon = d.icon;
  // Browsers require every push to show a notification (userVisibleOnly).
  event.waitUntil(self.registration.showNotification(typeof d.title === 'string' && d.title ? d.title : self.location.host, options));
});
self.addEventListener('notificationclick', function (event) {
  event.notification.close();
  var url = '/';
  try {
    var u = new URL((event.notification.data && event.notification.data.url) || '/', self.location.origin);
    if (u.origin === self.location.origin) url = u.href;
  } catch (e) {}
  event.waitUntil(self.clients.matchAll({ type: 'window', includeUncontrolled: true }).then(function (list) {
    for (var i = 0; i < list.length; i++) {
      if (list[i].url === url && 'focus' in list[i]) return list[i].focus();
    }
    return self.clients.openWindow(url);
  }));
});
`;
