/**
 * Who may use the gateway and for what (docs/api.md section 4).
 * <ul>
 *     <li>{@link io.ordergw.gateway.auth.UserDirectory}: users and API keys from {@code ordergw.gateway.users} and
 *     {@code ordergw.gateway.api-keys}, validated at start (a bad entry is a
 *     {@link io.ordergw.config.ConfigError} naming its path), plus the {@code --demo} users.</li>
 *     <li>{@link io.ordergw.gateway.auth.Authenticator}: password, API-key and session-token logins, login
 *     throttling, and the sessions they open.</li>
 *     <li>{@link io.ordergw.gateway.auth.User} and {@link io.ordergw.gateway.auth.Permission}: what a session may do
 *     ({@code has}) and which accounts it reaches ({@code canAccess}).</li>
 *     <li>{@link io.ordergw.gateway.auth.PasswordHasher}: PBKDF2-HMAC-SHA256 hashes; passwords are never stored in
 *     clear.</li>
 * </ul>
 * Everything here is thread-safe and stays off the hot path: sessions are checked by reference once logged in.
 * Passwords, hashes, API secrets and session tokens never appear in {@code toString()}, exception messages or logs.
 */
package io.ordergw.gateway.auth;
