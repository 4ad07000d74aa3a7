import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';

/**
 * Webhook URLs are the user's, so a request to one must not reach into our own network: loopback,
 * link-local (cloud metadata at 169.254.169.254), private and other non-public ranges are refused,
 * unless an allow-list (WEBHOOK_ALLOWED_NETWORKS, CIDRs) names them. The check runs on the address
 * the connection is actually made to (`lookup` below), so a DNS answer that changes between the
 * registration and the delivery (rebinding) is caught too.
 */
const NON_PUBLIC_V4 = [
  '0.0.0.0/8',
  '10.0.0.0/8',
  '100.64.0.0/10',
  '127.0.0.0/8',
  '169.254.0.0/16',
  '172.16.0.0/12',
  '192.0.0.0/24',
  '192.168.0.0/16',
  '198.18.0.0/15',
  '224.0.0.0/3',
];
const NON_PUBLIC_V6 = ['::/127', 'fc00::/7', 'fe80::/10', 'ff00::/8', '64:ff9b::/96'];

export class OutboundAddressPolicy {
  private readonly blocked = new BlockList();
  private readonly allowed = new BlockList();

  constructor(allowedNetworks: readonly string[] = []) {
    for (const cidr of NON_PUBLIC_V4) addSubnet(this.blocked, cidr, 'ipv4');
    for (const cidr of NON_PUBLIC_V6) addSubnet(this.blocked, cidr, 'ipv6');
    for (const cidr of allowedNetworks) addSubnet(this.allowed, cidr, cidr.includes(':') ? 'ipv6' : 'ipv4');
  }

  /** Why this address may not be connected to, or undefined when it may. */
  refusal(address: string): string | undefined {
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
    const ip = mapped ?? address;
    const family = isIP(ip) === 6 ? 'ipv6' : 'ipv4';
    if (this.allowed.check(ip, family)) return undefined;
    return this.blocked.check(ip, family) ? `${ip} is a loopback, link-local or private address` : undefined;
  }

  /** Checks a URL before it is stored: http(s) only, and every address its host resolves to must be allowed. */
  async checkUrl(raw: string): Promise<string | undefined> {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      return 'not a URL';
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'only http and https URLs can receive webhooks';
    if (url.username || url.password) return 'a webhook URL may not carry credentials';
    const host = url.hostname.replace(/^\[|\]$/g, '');
    let addresses: string[];
    try {
      addresses = isIP(host) ? [host] : (await resolveAll(host)).map((a) => a.address);
    } catch {
      return `${host} does not resolve`;
    }
    return addresses.map((a) => this.refusal(a)).find(Boolean);
  }

  /** A `lookup` for http.request: resolves as usual, then refuses the connection if any answer is not allowed. */
  readonly lookup: LookupFunction = (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, '', 0);
      const refused = addresses.map((a) => this.refusal(a.address)).find(Boolean);
      if (refused) return callback(Object.assign(new Error(`Refused: ${refused}`), { code: 'EADDRREFUSED' }), '', 0);
      if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
      const [first] = addresses;
      return callback(null, first!.address, first!.family);
    });
  };
}

function addSubnet(list: BlockList, cidr: string, family: 'ipv4' | 'ipv6'): void {
  const [network, prefix] = cidr.split('/');
  if (!network || prefix === undefined || !isIP(network)) throw new Error(`Not a network in CIDR form: ${cidr}`);
  list.addSubnet(network, Number(prefix), family);
}

function resolveAll(host: string): Promise<LookupAddress[]> {
  return new Promise((resolve, reject) => dnsLookup(host, { all: true }, (error, addresses) => (error ? reject(error) : resolve(addresses))));
}
