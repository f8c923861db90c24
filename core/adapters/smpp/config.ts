/** How the SMPP link's settings (core/api/network-settings) turn into PDU addresses. */
import type { AddressType, SmppConfig } from '../../api/network-settings';

/** TON/NPI and address for a sender as the engine writes it. */
export function sourceAddress(sender: string, config: SmppConfig): { addr: string } & AddressType {
  const addr = config.source.address || sender;
  if (/^\+\d+$/.test(addr)) return { addr: addr.slice(1), ...config.source.international };
  if (/^\d+$/.test(addr)) return { addr, ...config.source.shortCode };
  return { addr, ...config.source.alphanumeric };
}

export function destinationAddress(recipient: string, config: SmppConfig): { addr: string } & AddressType {
  return { addr: recipient.replace(/^\+/, ''), ...config.destination };
}

/** An inbound address as the engine reads it: international numbers get their '+' back. */
export function inboundAddress(addr: string, addrTon: number): string {
  return addrTon === 1 && /^\d+$/.test(addr) ? `+${addr}` : addr;
}
