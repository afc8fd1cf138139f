/** Early access (growth/previews): the pre-savers' player on the receipt page. */
export default {
  heading: 'Listen early',
};
