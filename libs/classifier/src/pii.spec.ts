import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { detectPii, ibanValid, luhnValid, spanishIdValid } from './pii';

describe('luhnValid', () => {
  it('accepts valid card numbers', () => {
    for (const n of ['4111111111111111', '5555555555554444', '378282246310005', '6011111111111117', '4012888888881881']) {
      assert.equal(luhnValid(n), true, n);
    }
  });
  it('rejects numbers with a wrong check digit', () => {
    for (const n of ['4111111111111112', '5555555555554445', '378282246310006', '1234567812345678']) {
      assert.equal(luhnValid(n), false, n);
    }
  });
});

describe('ibanValid', () => {
  it('accepts valid IBANs with and without spaces', () => {
    assert.equal(ibanValid('GB82 WEST 1234 5698 7654 32'), true);
    assert.equal(ibanValid('DE89370400440532013000'), true);
    assert.equal(ibanValid('FR1420041010050500013M02606'), true);
  });
  it('rejects a wrong checksum or a wrong length for the country', () => {
    assert.equal(ibanValid('GB82 WEST 1234 5698 7654 33'), false);
    assert.equal(ibanValid('DE8937040044053201300'), false);
  });
});

describe('spanishIdValid', () => {
  it('checks the DNI/NIE control letter', () => {
    assert.equal(spanishIdValid('12345678Z'), true);
    assert.equal(spanishIdValid('12345678A'), false);
    assert.equal(spanishIdValid('X1234567L'), true);
  });
});

describe('detectPii', () => {
  it('finds an e-mail address', () => {
    assert.deepEqual(detectPii('write to jane.doe+news@example.co.uk please'), ['email']);
  });
  it('finds a Luhn-valid card but not a Luhn-invalid 16-digit number', () => {
    assert.deepEqual(detectPii('my card is 4111 1111 1111 1111, exp 12/27'), ['payment_card']);
    assert.deepEqual(detectPii('order number 4111 1111 1111 1112'), []);
    assert.deepEqual(detectPii('card: 5555-5555-5555-4444'), ['payment_card']);
  });
  it('finds an IBAN only when mod-97 holds', () => {
    assert.deepEqual(detectPii('Please wire it to DE89 3704 0044 0532 0130 00 today'), ['iban']);
    assert.deepEqual(detectPii('Please wire it to DE89 3704 0044 0532 0130 01 today'), []);
  });
  it('finds phone numbers in international and national formats', () => {
    assert.deepEqual(detectPii('call me on +44 20 7946 0958'), ['phone']);
    assert.deepEqual(detectPii('my number is (415) 555-2671'), ['phone']);
    assert.deepEqual(detectPii('phone: 4155552671'), ['phone']);
  });
  it('does not mistake dates, amounts or arithmetic for phones', () => {
    assert.deepEqual(detectPii('the meeting is on 2024-03-15 at 10:30'), []);
    assert.deepEqual(detectPii('revenue was 1,234,567.89 dollars'), []);
    assert.deepEqual(detectPii('(348*27) - 1960/8'), []);
  });
  it('finds national identifiers (US SSN, UK NINO, Spanish DNI)', () => {
    assert.deepEqual(detectPii('SSN 123-45-6789'), ['national_id']);
    assert.deepEqual(detectPii('my NI number is AB 12 34 56 C'), ['national_id']);
    assert.deepEqual(detectPii('DNI 12345678Z'), ['national_id']);
    assert.deepEqual(detectPii('000-12-3456 is not a valid SSN area'), []);
  });
  it('finds IPv4 and IPv6 addresses but not version numbers', () => {
    assert.deepEqual(detectPii('server at 192.168.1.20 is down'), ['ip_address']);
    assert.deepEqual(detectPii('ping 2001:db8::8a2e:370:7334'), ['ip_address']);
    assert.deepEqual(detectPii('upgrade to version 1.2.3.4'), []);
    assert.deepEqual(detectPii('999.1.1.1 is not an address'), []);
  });
  it('reports several kinds in a stable order, each once', () => {
    const text = 'Email a@b.io or bob@corp.com, card 4111111111111111, IP 10.0.0.1, phone +1 415 555 2671';
    assert.deepEqual(detectPii(text), ['email', 'phone', 'payment_card', 'ip_address']);
  });
  it('scans long texts completely (PII deep inside a long document)', () => {
    const filler = 'Lorem ipsum dolor sit amet, consectetur adipiscing elit. '.repeat(200);
    assert.deepEqual(detectPii(`${filler} contact: someone@example.org ${filler} card 4111 1111 1111 1111 ${filler}`), ['email', 'payment_card']);
  });
});
