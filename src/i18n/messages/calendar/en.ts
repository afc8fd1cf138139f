/** The release as a calendar entry (reach/calendar): the .ics file's words and the links to it. */
export default {
  summary: '{title} — {artist}: out now',
  description: '“{title}” by {artist} is out. Listen on your service: {link}',
  alarm: '“{title}” by {artist} is out now',
  heading: 'Put it in your calendar',
  note: 'No account needed: your calendar reminds you the moment it is out.',
  add_ics: 'Add to calendar (.ics)',
  add_google: 'Add to Google Calendar',
};
