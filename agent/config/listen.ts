// agent/config/listen.ts: a HOST:PORT setting (metrics.listen, ui.listen, --listen) as host and port. Only
// the host named is listened on; nothing defaults to every interface.
export function parseListen(listen: string, what = 'metrics.listen', example = '127.0.0.1:9464'): { host: string; port: number } {
  const m = /^\[?([^\]]+?)\]?:(\d{1,5})$/.exec(listen);
  if (!m || Number(m[2]) > 65535) throw new Error(`${what} must be HOST:PORT such as ${example}, not "${listen}"`);
  return { host: m[1]!, port: Number(m[2]) };
}
