/**
 * A stand-in for MusicKit JS, served by the fake at /musickit.js. `MusicKit.configure()` checks the
 * developer token against the fake API (as the real library does, which also proves the page's
 * CSP allows the request) and returns an instance whose `authorize()` resolves to the chosen test
 * user's Music User Token — or rejects, like a fan closing Apple's sign-in window. `hang`: like in
 * some apps' built-in browsers, authorize() does not answer until the test calls
 * `window.fakeAppleAnswer()` (a late answer).
 */
export function musicKitScript(o: { apiOrigin: string; token: string | null; storefront: string; deny: boolean; hang?: boolean }): string {
  return `(function () {
  var API = ${JSON.stringify(o.apiOrigin)};
  var TOKEN = ${JSON.stringify(o.token)};
  var STOREFRONT = ${JSON.stringify(o.storefront)};
  var DENY = ${JSON.stringify(o.deny)};
  var HANG = ${JSON.stringify(o.hang ?? false)};
  var instance = null;
  function MusicKitInstance(opts) {
    this.developerToken = opts.developerToken;
    this.app = opts.app;
    this.storefrontId = STOREFRONT;
    this.isAuthorized = false;
    this.musicUserToken = '';
  }
  MusicKitInstance.prototype.authorize = function () {
    var self = this;
    return new Promise(function (resolve, reject) {
      function answer() {
        if (DENY || !TOKEN) { reject(new Error('AUTHORIZATION_ERROR: Unauthorized')); return; }
        self.isAuthorized = true;
        self.musicUserToken = TOKEN;
        resolve(TOKEN);
      }
      if (HANG) window.fakeAppleAnswer = answer;
      else setTimeout(answer, 50);
    });
  };
  MusicKitInstance.prototype.unauthorize = function () { this.isAuthorized = false; this.musicUserToken = ''; return Promise.resolve(); };
  window.MusicKit = {
    version: 'fake-3',
    configure: function (opts) {
      if (!opts || !opts.developerToken || !opts.app || !opts.app.name) {
        return Promise.reject(new Error('MusicKit.configure needs developerToken and app.name'));
      }
      return fetch(API + '/v1/storefronts/us', { headers: { authorization: 'Bearer ' + opts.developerToken } }).then(function (res) {
        if (!res.ok) throw new Error('MusicKit: developer token refused (' + res.status + ')');
        instance = new MusicKitInstance(opts);
        return instance;
      });
    },
    getInstance: function () { return instance; }
  };
  document.dispatchEvent(new Event('musickitloaded'));
})();
`;
}
