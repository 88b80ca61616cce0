import express from 'express';
import { describe, expect, it } from 'vitest';
import { rememberTrust } from '../../src/http/trustProxy';

// Express's own compiled check for a TRUST_PROXY value, as app.set('trust proxy', …) builds it.
const compiled = (value: number | string[]) => express().set('trust proxy', value).get('trust proxy fn') as (a: string, i: number) => boolean;

describe('the remembered trust-proxy check', () => {
  const addresses = ['127.0.0.1', '::1', '::ffff:127.0.0.1', '10.0.0.7', '10.1.2.3', '203.0.113.9', '::ffff:10.0.0.7', 'not-an-address'];

  it('answers as Express does for address lists and hop counts, for every hop, asked twice', () => {
    for (const value of [['loopback'], ['loopback', '10.0.0.0/16'], ['203.0.113.9'], 0, 1, 2]) {
      const express = compiled(value);
      const remembered = rememberTrust(express);
      for (const round of [1, 2]) {
        for (const address of addresses) {
          for (const hop of [0, 1, 2]) expect(remembered(address, hop), `${JSON.stringify(value)} ${address} hop ${hop} round ${round}`).toBe(express(address, hop));
        }
      }
    }
  });

  it('asks Express once per address for the nearest hop, and again after a flood of other addresses', () => {
    const asked: string[] = [];
    const remembered = rememberTrust((address) => (asked.push(address), address === '127.0.0.1'));
    for (let i = 0; i < 5; i++) expect(remembered('127.0.0.1', 0)).toBe(true);
    expect(asked).toEqual(['127.0.0.1']);
    for (let i = 0; i < 5000; i++) expect(remembered(`198.51.${i >> 8}.${i & 255}`, 0)).toBe(false);
    expect(remembered('127.0.0.1', 0)).toBe(true);
    expect(asked.filter((a) => a === '127.0.0.1')).toHaveLength(2);
  });
});
