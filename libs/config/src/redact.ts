/**
 * Keeps credentials out of logs, errors and spans. Connection strings carry them in
 * their userinfo (`redis://user:password@host`, `https://token@gateway`), and a
 * variable named like a secret (`PROVIDER_API_KEY`) is one whatever its value looks like.
 */

/** What a redacted credential is replaced with. */
export const REDACTED = '***';

/**
 * `scheme://` followed by a token that reaches up to the next whitespace, quote or
 * bracket. The userinfo is everything up to the token's LAST `@`: a password may hold
 * an unencoded `/` or `@`, and cutting at the first one would leave its tail visible.
 * A path that contains `@` is over-redacted, which is the safe direction.
 */
const URL_WITH_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s"'<>()[\]{}`]*)@/gi;

function redactUserinfo(userinfo: string): string {
  const colon = userinfo.indexOf(':');
  // A lone userinfo (`https://ghp_xyz@host`) is a token for many services: hide all of it.
  if (colon < 0) return REDACTED;
  return `${userinfo.slice(0, colon)}:${REDACTED}`;
}

/**
 * Returns `url` with the password of its userinfo replaced by `***`
 * (`redis://app:s3cret@h:6379/0` → `redis://app:***@h:6379/0`); a userinfo without a
 * password is replaced whole (`https://tok@h` → `https://***@h`). Anything else,
 * including strings that are not URLs, comes back unchanged. Never throws.
 */
export function redactUrl(url: string): string {
  return redactUrlsIn(url);
}

/**
 * Applies {@link redactUrl} to every URL inside free text, e.g. an error message from
 * a driver that quotes the URL it failed to reach. Never throws.
 */
export function redactUrlsIn(text: string): string {
  return text.replace(URL_WITH_USERINFO, (_match, scheme: string, userinfo: string) => `${scheme}${redactUserinfo(userinfo)}@`);
}

/**
 * Whether an environment variable's name says its value is a secret:
 * `*_KEY`, `*_TOKEN`, `*_SECRET`, `*_PASSWORD` (and `*_PASS`, `*_CREDENTIALS`).
 * URLs are not secret by name; their userinfo is redacted by {@link redactUrlsIn}.
 */
export function isSecretName(name: string): boolean {
  return /(?:^|_)(?:KEY|TOKEN|SECRET|PASSWORD|PASSWD|PASS|CREDENTIALS?)$/i.test(name);
}

/**
 * How a rejected configuration value may be shown: a secret-named variable by its
 * length only, anything else quoted with URL credentials redacted. A value that still
 * holds an `@` after redaction (a malformed URL such as `redis//u:pw@h`, which the
 * URL pattern cannot see) is also shown by its length: it is being rejected, so it
 * is likely to be exactly such a malformed connection string.
 */
export function describeConfigValue(name: string, value: string): string {
  const redacted = redactUrlsIn(value);
  if (isSecretName(name) || redacted.replaceAll(`${REDACTED}@`, '').includes('@')) return `a value of ${value.length} characters`;
  return `"${redacted}"`;
}

/**
 * Removes known secret values (API keys, tokens) from a message, plus URL
 * credentials. For text a third party wrote, such as a provider's error body, which
 * may quote the key it rejected. Secrets shorter than 4 characters are ignored, as
 * replacing them would mangle ordinary text without protecting anything.
 */
export function scrubSecrets(text: string, secrets: readonly (string | undefined)[]): string {
  let out = redactUrlsIn(text);
  for (const s of secrets) {
    if (s !== undefined && s.length >= 4) out = out.split(s).join(REDACTED);
  }
  return out;
}

/**
 * Splits the userinfo off an http(s) URL and returns it as a Basic `authorization`
 * header value, the way curl treats `https://user:pass@host`. fetch refuses URLs with
 * credentials and quotes the whole URL, password included, in the TypeError it
 * throws, so a client must never hand such a URL to fetch. A string that does not
 * parse as a URL comes back unchanged.
 */
export function splitUrlCredentials(url: string): { url: string; authorization: string | undefined } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { url, authorization: undefined };
  }
  if (!parsed.username && !parsed.password) return { url, authorization: undefined };
  const user = decodeURIComponent(parsed.username);
  const password = decodeURIComponent(parsed.password);
  parsed.username = '';
  parsed.password = '';
  return { url: parsed.toString(), authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` };
}
