/** The vault (growth/vault): bonus content on the receipt page, locked and unlocked items, downloads. */
export default {
  heading: 'The vault',
};
