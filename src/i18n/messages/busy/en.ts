/** The busy page (web/overload/busy-page.ts): built once per language at start. */
export default {
  title: 'Busy — try again in a moment',
  heading: 'Busy right now',
  text: 'This server is busy right now. Please try again in a few seconds. This page tries again by itself in {seconds, plural, one {# second} other {# seconds}}.',
};
