/** Words the accessibility work adds to fan pages (docs/accessibility.md). */
export default {
  // The busy (503) page's link: it tries again by itself too, but a person can do it at once, also without JavaScript.
  busy_try_again_now: 'Try again now',
};
