import { ledgerSlot } from './ledger-slot';

describe('ledgerSlot', () => {
  it('puts 2^20 offsets in each bitmap shard', () => {
    expect(ledgerSlot('0')).toEqual({ shard: '0', bit: 0 });
    expect(ledgerSlot('1048575')).toEqual({ shard: '0', bit: 1_048_575 });
    expect(ledgerSlot('1048577')).toEqual({ shard: '1', bit: 1 });
  });

  it('stays exact for offsets past 2^53', () => {
    expect(ledgerSlot('9223372036854775807')).toEqual({ shard: '8796093022207', bit: 1_048_575 });
  });
});
