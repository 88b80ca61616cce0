type Trust = (address: string, hop: number) => boolean;

/** Enough for every proxy and client address a task sees at once; past it the memo starts over. */
const MAX_REMEMBERED = 1024;

/**
 * Express's compiled `trust proxy` check, remembered per socket address. `req.secure` (the
 * security headers pick their set by it on every request) asks it about the connection's own
 * address each time, and each answer parses that address with ipaddr.js and tests it against
 * every trusted range: part of the ~2% `proxy-addr`, `ipaddr.js` and `forwarded` took of a
 * getOne's CPU. The answer for the nearest hop depends on the address alone (a list of
 * addresses or ranges) or on the hop alone (a hop count), so it can be kept; further hops are
 * asked through. A flood of forged addresses only empties the memo.
 */
export function rememberTrust(trust: Trust): Trust {
  const nearest = new Map<string, boolean>();
  return (address, hop) => {
    if (hop !== 0) return trust(address, hop);
    let trusted = nearest.get(address);
    if (trusted === undefined) {
      trusted = trust(address, hop);
      if (nearest.size >= MAX_REMEMBERED) nearest.clear();
      nearest.set(address, trusted);
    }
    return trusted;
  };
}
