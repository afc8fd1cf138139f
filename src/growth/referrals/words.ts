/**
 * Why a referral is not (yet) counted, in the artist's words (the dashboard, the CSV, the CLI).
 * The codes are what growth/referrals stores in `referrals.reason` or referralVerdict derives.
 */
export const REFERRAL_REASONS = {
  // Excluded when it arrived: never counts.
  self_referral: "The referrer's own account, browser or device",
  same_account: 'This streaming account already counted in this campaign',
  already_presaved: 'This fan had pre-saved before the referral',
  same_browser: 'The same browser already brought a referral in this campaign',
  // Held for the artist's review.
  burst_device: 'Part of a burst from one device profile',
  burst_network: 'Part of a burst from one network',
  hourly_cap: "Over the referrer's hourly cap",
  // Derived from the referred pre-save.
  pending_verification: 'Waiting for release day: counts once the save is verified in the library',
  save_failed: 'The save did not land in the library',
  cancelled: 'The fan cancelled the pre-save',
  rejected_by_artist: 'Rejected by the artist after review',
} as const;

export type ReferralReason = keyof typeof REFERRAL_REASONS;

export function referralReasonWords(code: string | null): string {
  if (!code) return '';
  return (REFERRAL_REASONS as Record<string, string>)[code] ?? code;
}
