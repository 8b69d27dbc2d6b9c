/**
 * Passwords are hashed and checked after Unicode NFKC normalisation (NIST SP 800-63B), so the same
 * password typed on two keyboards that compose "é" differently still matches. Its own module so that
 * sign-in does not load the policy's dictionaries.
 */
export function normalisePassword(password: string): string {
  return password.normalize("NFKC");
}
