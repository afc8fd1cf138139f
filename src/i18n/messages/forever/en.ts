/** Forever save (reach/forever): the receipt page's offer and state, and the fan's /f/ page. */
export default {
  heading: 'Save future releases too',
  consent: 'Also pre-save {artist}’s future releases to my {service} library, until I stop it.',
  explain:
    'When {artist} announces a new release on this Dropday, it is pre-saved for you on {service} with this same permission, and you are told when you left an email address. You can stop at any time.',
  submit: 'Save future releases',
  must_tick: 'Tick “{consent}” to turn forever save on.',
  on: 'Forever save is on since {date}: {artist}’s future releases are pre-saved to your {service} library.',
  stop: 'Stop forever save',
  stopped: 'Forever save is stopped: nothing more will be saved. Pre-saves made already stay; you can cancel each one on its receipt page.',
  page_title: 'Forever save — {artist}',
  erased: 'This forever save no longer exists.',
};
