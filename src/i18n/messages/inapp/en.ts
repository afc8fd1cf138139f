/**
 * The in-app browser rescue (web/inapp/, views/escape-step.ts): the notice on the campaign page
 * inside an app, the "Open in your browser" step, and MusicKit's help when authorize() hangs.
 * `{app}` is the app's brand name (Instagram, TikTok…), `{service}` the streaming service's.
 * Quoted menu items name what the app shows in the fan's language.
 */
export default {
  notice:
    '{app}’s built-in browser often breaks the sign-in of streaming services. If that happens, we’ll help you open this page in your own browser.',
  title: 'Open in your browser',
  why: '{app}’s built-in browser often stops the {service} sign-in half-way. Open this page in your own browser to pre-save there: {service} will already be chosen.',
  open_browser: 'Open in my browser',
  ios_dots_external: 'Tap ··· in the top right corner, then “Open in external browser”.',
  ios_dots_browser: 'Tap ··· in the top right corner, then “Open in browser”.',
  ios_share_safari: 'Tap the share button, then “Open in Safari”.',
  ios_generic: 'Open the app’s menu (often ··· or the share button) and choose to open the page in your browser.',
  copy_intro: 'Or copy the link and paste it into your browser’s address bar:',
  link_label: 'Link to this page',
  copy: 'Copy link',
  copied: 'Link copied. Open your browser and paste it into the address bar.',
  copy_failed: 'Copying did not work here. Press and hold the link above, then choose Copy.',
  continue_here: 'Continue here anyway',
  continue_note: 'If the sign-in gets stuck, come back to this page and open it in your browser.',
  chosen: 'You chose {service}. Tap its button to continue your pre-save.',
  musickit_stuck:
    'Apple Music has not answered yet. Its sign-in often gets stuck in apps’ built-in browsers: open this page in your browser and try again there. If Apple Music answers in the meantime, your pre-save goes on by itself.',
};
