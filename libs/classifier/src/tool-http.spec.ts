import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { detectCurrency, detectHttpTool, detectRecordLookup, detectWeather } from './tool-http';

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

describe('detectRecordLookup', () => {
  const orders: Array<[string, string]> = [
    ["What's the status of order 48213?", '48213'],
    ['where is my order #A-10442', 'A-10442'],
    ['track order no. 99120', '99120'],
    ['Has order 48213 shipped yet?', '48213'],
    ['order #b-7731 status', 'B-7731'],
    ['Can you check the delivery status for my order 48213', '48213'],
    ['Wo ist meine Bestellung 48213?', '48213'],
    ['Was ist der Status der Bestellung Nr. A-10442', 'A-10442'],
    ['Où en est ma commande 48213 ?', '48213'],
    ['Quel est le statut de la commande n° 55017', '55017'],
    ['¿Dónde está mi pedido 48213?', '48213'],
    ['¿Cuál es el estado del pedido #A-10442?', 'A-10442'],
    ['Onde está o meu pedido 48213?', '48213'],
    ['Qual é o status da encomenda 77310', '77310'],
    ["Dov'è il mio ordine 48213?", '48213'],
    ["Qual è lo stato dell'ordine A-10442?", 'A-10442'],
    ['Waar is mijn bestelling 48213?', '48213'],
    ['Где мой заказ 48213?', '48213'],
    ['Какой статус заказа №A-10442', 'A-10442'],
    ['查询订单48213的状态', '48213'],
    ['我的订单 A-10442 到哪了？', 'A-10442'],
    ['注文番号A-10442はどこですか？', 'A-10442'],
    ['주문번호 48213 상태 알려줘', '48213'],
  ];
  for (const [text, id] of orders) {
    it(`finds order ${id} in "${text}"`, () => {
      const t = detectRecordLookup(text);
      assert.equal(t?.name, 'order_lookup');
      assert.deepEqual(t?.arguments, { order_id: id });
      assert.equal(t?.expression, JSON.stringify({ order_id: id }));
    });
  }

  const customers: Array<[string, string]> = [
    ['look up customer C-2291', 'C-2291'],
    ['Show me the record for customer 10442', '10442'],
    ['customer c-2291 details', 'C-2291'],
    ['Kunde K-2291 nachschlagen', 'K-2291'],
    ['cherche le client C-2291', 'C-2291'],
    ['busca el cliente C-2291', 'C-2291'],
    ['procurar cliente 88213', '88213'],
    ['cerca il cliente C-2291', 'C-2291'],
    ['zoek klant C-2291', 'C-2291'],
    ['найди клиента C-2291', 'C-2291'],
    ['查一下客户C-2291', 'C-2291'],
    ['顧客C-2291を検索して', 'C-2291'],
    ['고객 C-2291 조회', 'C-2291'],
  ];
  for (const [text, id] of customers) {
    it(`finds customer ${id} in "${text}"`, () => {
      assert.deepEqual(detectRecordLookup(text)?.arguments, { customer_id: id });
      assert.equal(detectRecordLookup(text)?.name, 'customer_lookup');
    });
  }

  it('leaves requests that only mention orders or customers alone', () => {
    for (const text of [
      'sort these orders by date',
      'what is the order of operations',
      'What is the order of operations in 3 + 4 * 2?',
      'order 3 pizzas for me',
      'in what order should I read these 12 books',
      'where is my order? I placed it yesterday',
      "what's the status of order 66",
      'write a SQL query to find the status of order 48213',
      'SELECT * FROM orders WHERE order_id = 48213',
      'function getOrder(id) { return db.orders.find(id); }',
      'order by created_at desc limit 100',
      'explain customer lifetime value',
      'the customer C-2291 complained, write an apology email',
      'how do I track order 48213 in my Shopify app code?',
      'look up customer',
      'Bestellung aufgeben',
      'commande 48213 annulée, rédige un email',
      `${'context '.repeat(30)}where is my order 48213`,
    ]) {
      assert.equal(detectRecordLookup(text), null, text);
    }
  });

  it('is reached through detectHttpTool, after weather and currency', () => {
    assert.equal(detectHttpTool('where is my order 48213?')?.name, 'order_lookup');
    assert.equal(detectHttpTool('look up customer C-2291')?.name, 'customer_lookup');
    assert.equal(detectHttpTool('weather in Paris')?.name, 'weather');
  });
});
