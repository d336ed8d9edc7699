import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { detectCurrency, detectHttpTool, detectWeather } from './tool-http';

describe('detectWeather', () => {
  const cases: Array<[string, string, string]> = [
    ["What's the weather in Paris tomorrow?", 'Paris', 'tomorrow'],
    ['weather in new york', 'new york', 'today'],
    ['Is it going to rain in London today?', 'London', 'today'],
    ['how cold is it in Oslo right now', 'Oslo', 'now'],
    ['Wie ist das Wetter in Frankfurt am Main morgen?', 'Frankfurt am Main', 'tomorrow'],
    ['Quel temps fait-il à Lyon ?', 'Lyon', 'today'],
    ['¿Qué tiempo hace en Madrid?', 'Madrid', 'today'],
    ['Como está o tempo em Lisboa amanhã?', 'Lisboa', 'tomorrow'],
    ['che tempo fa a Roma domani', 'Roma', 'tomorrow'],
    ['Hoe is het weer in Utrecht?', 'Utrecht', 'today'],
    ['погода в Москве', 'Москве', 'today'],
    ['北京天气怎么样', '北京', 'today'],
    ['明天上海的天气', '上海', 'tomorrow'],
    ['東京の天気は？', '東京', 'today'],
    ['서울 날씨 어때', '서울', 'today'],
  ];
  for (const [text, location, when] of cases) {
    it(`finds the place and time in "${text}"`, () => {
      const t = detectWeather(text);
      assert.deepEqual(t?.arguments, { location, when });
      assert.equal(t?.name, 'weather');
      assert.equal(t?.expression, JSON.stringify({ location, when }), 'the expression is the canonical JSON of the arguments');
    });
  }

  it('ignores weather as a topic, seasons and pronouns', () => {
    for (const text of ['write a poem about the weather in Paris', 'how is the weather like in winter in Norway', 'tell me about the weather in my city', 'weather']) {
      assert.equal(detectWeather(text), null, text);
    }
  });
});

describe('detectCurrency', () => {
  const cases: Array<[string, Record<string, string>]> = [
    ['convert 100 usd to eur', { amount: '100', from: 'USD', to: 'EUR' }],
    ['How much is 50 euros in yen?', { amount: '50', from: 'EUR', to: 'JPY' }],
    ['€250 in dollars', { amount: '250', from: 'EUR', to: 'USD' }],
    ['convert 1,250.50 GBP to CHF', { amount: '1250.50', from: 'GBP', to: 'CHF' }],
    ['what is the exchange rate from GBP to JPY', { from: 'GBP', to: 'JPY' }],
    ['usd to eur rate', { from: 'USD', to: 'EUR' }],
  ];
  for (const [text, args] of cases) {
    it(`extracts ${JSON.stringify(args)} from "${text}"`, () => {
      assert.deepEqual(detectCurrency(text)?.arguments, args);
    });
  }

  it('leaves unit conversions, unknown codes and same-currency questions alone', () => {
    for (const text of ['convert 10 km to miles', 'convert 100 abc to xyz', 'convert 100 usd to usd', 'how many dollars does a house cost']) {
      assert.equal(detectCurrency(text), null, text);
    }
  });

  it('is reached through detectHttpTool', () => {
    assert.equal(detectHttpTool('convert 100 usd to eur')?.name, 'currency');
    assert.equal(detectHttpTool('weather in Paris')?.name, 'weather');
    assert.equal(detectHttpTool('hello there'), null);
  });
});
