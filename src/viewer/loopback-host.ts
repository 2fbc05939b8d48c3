/**
 * Which names mean "this machine": the bind address check (does the server listen on loopback
 * only?) and the Host-header check that stops DNS rebinding (a page on evil.example whose DNS
 * name is re-pointed at 127.0.0.1 sends `Host: evil.example`, so a loopback-only server refuses it).
 *
 * Both checks parse the name exactly instead of matching a prefix: `127.evil.com` and
 * `127.0.0.1.nip.io` are DNS names an attacker controls, not loopback addresses.
 */

/** A dotted IPv4 literal 127.a.b.c, each part a decimal number 0-255. */
function isLoopbackIpv4(name: string): boolean {
  const m = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(name);
  return m !== null && m.slice(1).every((part) => Number(part) <= 255);
}

/**
 * True when `host` (an address to bind, as given to `--host`: no brackets, no port) is a loopback
 * address: `localhost`, `127.x.y.z` or `::1`.
 */
export function isLoopbackAddress(host: string): boolean {
  const name = host.toLowerCase();
  return name === 'localhost' || name === '::1' || name === '[::1]' || isLoopbackIpv4(name);
}

/**
 * True when an HTTP `Host` header names this machine: `localhost`, a loopback IPv4 literal
 * `127.x.y.z` (each part 0-255) or `[::1]`, each with an optional `:port`. Anything else, a
 * missing header included, is false.
 */
export function isLoopbackHostHeader(header: string | undefined): boolean {
  if (!header) return false;
  // The name before an optional port: `[::1]` whole, or a name without colons or brackets.
  const m = /^(\[::1\]|[^:[\]]+)(?::\d{1,5})?$/.exec(header.trim());
  return m !== null && isLoopbackAddress(m[1]);
}
