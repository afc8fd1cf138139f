/** Words every fan page shares. */
export default {
  back_to_campaign: 'Back to the campaign',
  fans_presaved: '{count, plural, one {# fan pre-saved} other {# fans pre-saved}}',
};
