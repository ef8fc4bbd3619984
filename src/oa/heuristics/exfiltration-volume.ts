/**
 * Bytes between internal hosts and external peers, per (host, peer[, day]): what the host sent (out_bytes) and got
 * (in_bytes), whichever side opened the flow, when the host is the client of the conversation (its port is not lower
 * than the peer's: the ephemeral side). A record internal → external counts ibyt out and obyt in (bidirectional
 * sources; 0 for unidirectional NetFlow, whose answers are records of their own); external → internal the reverse.
 *
 * `hosts` is the runner's (ip, internal, context) table. Peers it does not know (history, where the table only holds
 * the window's addresses) count as external: a host's past baseline can only grow by it, never hide a leak.
 */
export function outboundSql(flow: string, hosts: string, day?: string): string {
  const dayCol = day ? `, ${day} AS day` : '';
  const side = (me: 'sip' | 'dip', other: 'sip' | 'dip') => {
    const [out, back] = me === 'sip' ? ['f.ibyt', 'coalesce(f.obyt, 0)'] : ['coalesce(f.obyt, 0)', 'f.ibyt'];
    const [myPort, peerPort] = me === 'sip' ? ['f.sport', 'f.dport'] : ['f.dport', 'f.sport'];
    return (
      `SELECT f.${me} AS host, f.${other} AS peer, ${out} AS out_bytes, ${back} AS in_bytes, f.tstart, f.tend${dayCol} FROM ${flow} AS f ` +
      `JOIN ${hosts} AS h ON h.ip = f.${me} AND h.internal LEFT JOIN ${hosts} AS p ON p.ip = f.${other} WHERE NOT coalesce(p.internal, false) ` +
      // The host as a client (its port the ephemeral one): a server answering the internet is serving, not leaking.
      `AND ${myPort} >= ${peerPort}`
    );
  };
  const keys = `host, peer${day ? ', day' : ''}`;
  return (
    `SELECT ${keys}, sum(out_bytes) AS out_bytes, sum(in_bytes) AS in_bytes, count(*) AS flows, min(tstart) AS first_seen, max(tend) AS last_seen ` +
    `FROM (${side('sip', 'dip')} UNION ALL ${side('dip', 'sip')}) AS u GROUP BY ${keys}`
  );
}
