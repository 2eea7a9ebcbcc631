// A small, realistic demo shop in SQLite plus its data map (our format, docs/DATAMAP.md), for the
// console's first start, demos and tests: customers, addresses (linked through customer_addresses),
// orders and their items, payment cards, logins, marketing consent with a do-not-sell flag, support
// tickets and tax-retained invoices. It carries the traps a careless traversal falls into: Ann and
// Bob share a home address (10), Carol's order 103 was paid with Ann's card (20), and emails and
// phones are stored in mixed forms. No foreign-key constraints: erasure order is the map's business.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { parse as parseYaml } from 'yaml';
import { parseDataMap, type DataMap } from '../domain/datamap';

export const DEMO_SHOP_SYSTEM = 'demo-shop';

export const DEMO_SHOP_DATAMAP_YAML = `# Data map of the PrivacyDesk demo shop (format: docs/DATAMAP.md)
datamap:
  dataset: demo_shop
  name: Demo shop
  disclosures:                       # what the access report says of this system (docs/DATAMAP.md section 14)
    sources: [You (account sign-up and checkout), Our website (sign-ins)]
    purposes: [Order fulfilment and delivery, Customer support, Fraud prevention, Marketing emails you agreed to]
    thirdParties: [Parcel Co (delivery), Payment processor]
    transfers:                       # CCPA §1798.115: nothing sold or shared; disclosed for a business purpose to these recipients
      - { kind: business_purpose, recipients: [Delivery services], categories: [A, B, D] }
      - { kind: business_purpose, recipients: [Payment processors], categories: [A, B, L] }
  collections:
    - name: customers
      description: Your account
      erasure: delete
      fields:
        - { name: id, primaryKey: true, categories: [user.unique_id] }
        - { name: email, categories: [user.contact.email], identity: email }
        - { name: phone, categories: [user.contact.phone_number], identity: phone }
        - { name: first_name, categories: [user.name], label: { en: First name, es: Nombre } }
        - { name: last_name, categories: [user.name], label: { en: Last name, es: Apellidos } }
        - { name: birth_date, categories: [user.demographic.date_of_birth], display: { type: date } }
        - { name: loyalty_id, categories: [user.unique_id], identity: loyalty_id }
        - { name: created_at, categories: [system.operations], label: { en: Account created, es: Cuenta creada }, display: { type: datetime } }
    - name: addresses
      description: Addresses
      erasure: mask
      fields:
        - { name: id, primaryKey: true, categories: [system.operations] }
        - { name: line1, categories: [user.contact.address.street], addressPart: line1 }
        - { name: line2, categories: [user.contact.address.street], addressPart: line2 }
        - { name: city, categories: [user.contact.address.city], addressPart: city }
        - { name: state, categories: [user.contact.address.state], addressPart: state }
        - { name: postal_code, categories: [user.contact.address.postal_code], addressPart: postalCode }
        - { name: country, categories: [user.contact.address.country], addressPart: country }
    - name: customer_addresses
      description: Your saved addresses
      erasure: delete
      fields:
        - name: customer_id
          primaryKey: true
          categories: [user.unique_id]
          references: [{ collection: customers, field: id, direction: from }]
        - name: address_id
          primaryKey: true
          categories: [system.operations]
          references: [{ collection: addresses, field: id, direction: to }]
        - { name: kind, categories: [system.operations], label: { en: Address type, es: Tipo de dirección }, display: { type: codes, codes: { home: { en: Home, es: Casa }, work: { en: Work, es: Trabajo } } } }
    - name: payment_cards
      description: Payment cards
      erasure: mask
      fields:
        - { name: id, primaryKey: true, categories: [system.operations] }
        - name: customer_id
          categories: [user.unique_id]
          references: [{ collection: customers, field: id, direction: from }]
        - { name: card_number, categories: [user.financial.credit_card], mask: { strategy: fixed, value: "XXXX-XXXX-XXXX-XXXX" } }
        - { name: holder_name, categories: [user.financial], label: { en: Name on card, es: Nombre en la tarjeta } }
        - { name: expiry, categories: [user.financial], label: { en: Card expiry (month/year), es: Caducidad de la tarjeta (mes/año) } }
    - name: orders
      description: Orders
      erasure: mask
      fields:
        - { name: id, primaryKey: true, categories: [system.operations] }
        - name: customer_id
          categories: [user.unique_id]
          references: [{ collection: customers, field: id, direction: from }]
        - name: card_id
          categories: [system.operations]
          references: [{ collection: payment_cards, field: id, direction: to }]
        - name: shipping_address_id
          categories: [system.operations]
          references: [{ collection: addresses, field: id, direction: to }]
        - { name: total_cents, categories: [user.commercial.purchase], label: { en: Order total, es: Total del pedido }, display: { type: currency, currency: USD, minorUnits: 2 } }
        - { name: gift_message, categories: [user.content], label: { en: Gift message, es: Mensaje de regalo } }
        - { name: placed_at, categories: [system.operations], label: { en: Ordered on, es: Fecha del pedido }, display: { type: datetime } }
    - name: order_items
      description: Items in your orders
      erasure: mask
      fields:
        - { name: id, primaryKey: true, categories: [system.operations] }
        - name: order_id
          categories: [system.operations]
          references: [{ collection: orders, field: id, direction: from }]
        - { name: sku, categories: [system.operations] }
        - { name: qty, categories: [system.operations] }
    - name: logins
      description: Sign-ins
      erasure: delete
      fields:
        - { name: id, primaryKey: true, categories: [system.operations] }
        - name: customer_id
          categories: [user.unique_id]
          references: [{ collection: customers, field: id, direction: from }]
        - { name: ip_address, categories: [user.device.ip_address] }
        - { name: user_agent, categories: [user.device.browser] }
        - { name: at, categories: [user.behavior], label: { en: Signed in at, es: Inicio de sesión }, display: { type: datetime } }
    - name: marketing_consent
      description: Marketing choices
      erasure: delete
      optOut: { field: do_not_sell, value: 1 }
      fields:
        - { name: email, primaryKey: true, categories: [user.contact.email], identity: email }
        - { name: newsletter, categories: [user.privacy_preferences], label: { en: Newsletter subscription, es: Suscripción al boletín }, display: { type: boolean } }
        - { name: do_not_sell, categories: [user.privacy_preferences], label: { en: Do not sell or share my information, es: No vender ni compartir mi información }, display: { type: boolean } }
        - { name: updated_at, categories: [system.operations], label: { en: Last changed, es: Último cambio }, display: { type: datetime } }
    - name: support_tickets
      description: Support requests
      erasure: delete
      fields:
        - { name: id, primaryKey: true, categories: [system.operations] }
        - name: customer_id
          categories: [user.unique_id]
          references: [{ collection: customers, field: id, direction: from }]
        - { name: email, categories: [user.contact.email], identity: email }
        - { name: subject, categories: [user.content], label: { en: Support request subject, es: Asunto de la consulta } }
        - { name: body, categories: [user.content], label: { en: Your message to support, es: Su mensaje a atención al cliente } }
        - { name: opened_at, categories: [system.operations], label: { en: Opened on, es: Abierta el }, display: { type: datetime } }
    - name: invoices
      description: Invoices
      retention: { reason: tax, note: tax records are kept for 7 years }
      fields:
        - { name: id, primaryKey: true, categories: [system.operations] }
        - name: order_id
          categories: [system.operations]
          references: [{ collection: orders, field: id, direction: from }]
        - { name: customer_name, categories: [user.name] }
        - { name: amount_cents, categories: [user.commercial.purchase], label: { en: Invoice amount, es: Importe de la factura }, display: { type: currency, currency: USD, minorUnits: 2 } }
        - { name: issued_at, categories: [system.operations], label: { en: Issued on, es: Emitida el }, display: { type: datetime } }
`;

/** The demo shop's data map, parsed and checked. */
export function demoShopDataMap(): DataMap {
  return parseDataMap(parseYaml(DEMO_SHOP_DATAMAP_YAML));
}

const SCHEMA = `
CREATE TABLE customers (id INTEGER PRIMARY KEY, email TEXT NOT NULL, phone TEXT, first_name TEXT NOT NULL, last_name TEXT,
  birth_date TEXT, loyalty_id TEXT, created_at TEXT NOT NULL);
CREATE TABLE addresses (id INTEGER PRIMARY KEY, line1 TEXT NOT NULL, line2 TEXT, city TEXT NOT NULL, state TEXT, postal_code TEXT NOT NULL, country TEXT NOT NULL);
CREATE TABLE customer_addresses (customer_id INTEGER NOT NULL, address_id INTEGER NOT NULL, kind TEXT NOT NULL, PRIMARY KEY (customer_id, address_id));
CREATE TABLE payment_cards (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL, card_number TEXT NOT NULL, holder_name TEXT, expiry TEXT);
CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL, card_id INTEGER, shipping_address_id INTEGER,
  total_cents INTEGER NOT NULL, gift_message TEXT, placed_at TEXT NOT NULL);
CREATE TABLE order_items (id INTEGER PRIMARY KEY, order_id INTEGER NOT NULL, sku TEXT NOT NULL, qty INTEGER NOT NULL);
CREATE TABLE logins (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL, ip_address TEXT NOT NULL, user_agent TEXT, at TEXT NOT NULL);
CREATE TABLE marketing_consent (email TEXT PRIMARY KEY, newsletter INTEGER NOT NULL, do_not_sell INTEGER NOT NULL DEFAULT 0, updated_at TEXT NOT NULL);
CREATE TABLE support_tickets (id INTEGER PRIMARY KEY, customer_id INTEGER, email TEXT NOT NULL, subject TEXT NOT NULL, body TEXT, opened_at TEXT NOT NULL);
CREATE TABLE invoices (id INTEGER PRIMARY KEY, order_id INTEGER NOT NULL, customer_name TEXT NOT NULL, amount_cents INTEGER NOT NULL, issued_at TEXT NOT NULL);
CREATE INDEX customers_email_norm ON customers (lower(trim(email)));
CREATE INDEX customers_loyalty ON customers (loyalty_id);
CREATE INDEX customer_addresses_address ON customer_addresses (address_id);
CREATE INDEX orders_customer ON orders (customer_id);
CREATE INDEX orders_card ON orders (card_id);
CREATE INDEX cards_customer ON payment_cards (customer_id);
CREATE INDEX items_order ON order_items (order_id);
CREATE INDEX logins_customer ON logins (customer_id);
CREATE INDEX tickets_customer ON support_tickets (customer_id);
CREATE INDEX tickets_email_norm ON support_tickets (lower(trim(email)));
CREATE INDEX invoices_order ON invoices (order_id);
`;

/** The demo data (tests state from it what each person owns). */
export const DEMO_SHOP_DATA: Record<string, ReadonlyArray<ReadonlyArray<string | number | null>>> = {
  customers: [
    [1, 'Ann.Lee@Example.com ', '(415) 555-0101', 'Ann', 'Lee', '1988-04-12', 'L-1001', '2024-01-05T10:00:00Z'],
    [2, 'bob.lee@example.com', '+1 415-555-0102', 'Bob', 'Lee', null, 'L-1002', '2024-01-06T10:00:00Z'],
    [3, 'carol.diaz@example.net', '415.555.0103', 'Carol', 'Diaz', '1990-09-30', null, '2024-02-01T10:00:00Z'],
    [4, "dave.o'brien@example.org", '+14155550104', 'Dave', "O'Brien", null, 'L-1004', '2024-03-01T10:00:00Z'],
  ],
  addresses: [
    [10, '1 Market St', 'Apt 4', 'San Francisco', 'CA', '94105', 'US'], // Ann and Bob's home
    [11, '500 Howard St', null, 'San Francisco', 'CA', '94105', 'US'], // Ann's office
    [12, '22 Oak Ave', null, 'Oakland', 'CA', '94607', 'US'],          // Carol
    [13, "9 O'Connell Rd", null, 'Berkeley', 'CA', '94704', 'US'],      // Dave
  ],
  customer_addresses: [[1, 10, 'home'], [1, 11, 'work'], [2, 10, 'home'], [3, 12, 'home'], [4, 13, 'home']],
  payment_cards: [
    [20, 1, '4111111111111111', 'Ann Lee', '12/28'],
    [21, 2, '5500005555555559', 'Bob Lee', '01/27'],
    [22, 4, '340000000000009', "Dave O'Brien", '03/29'],
  ],
  orders: [
    [100, 1, 20, 10, 4250, 'Happy birthday!', '2024-06-01T10:00:00Z'],
    [101, 1, 20, 11, 1999, null, '2024-06-15T10:00:00Z'],
    [102, 2, 21, 10, 500, null, '2024-06-20T10:00:00Z'],
    [103, 3, 20, 12, 1200, 'From Ann with love', '2024-07-01T10:00:00Z'], // paid with Ann's card
    [104, 4, 22, 13, 9900, null, '2024-07-02T10:00:00Z'],
  ],
  order_items: [[1000, 100, 'SKU-TEA', 2], [1001, 100, 'SKU-MUG', 1], [1002, 101, 'SKU-TEA', 1], [1003, 102, 'SKU-PEN', 5], [1004, 103, 'SKU-MUG', 1], [1005, 104, 'SKU-LAMP', 1]],
  logins: [
    [500, 1, '203.0.113.10', 'Firefox', '2024-07-14T09:00:00Z'],
    [501, 1, '203.0.113.11', 'Safari', '2024-07-15T11:58:00Z'],
    [502, 2, '198.51.100.2', 'Safari', '2024-07-16T08:00:00Z'],
    [503, 3, '192.0.2.44', 'Chrome', '2024-08-02T11:40:00Z'],
    [504, 4, '192.0.2.50', 'Edge', '2024-08-03T08:00:00Z'],
  ],
  marketing_consent: [
    ['ann.lee@example.com', 1, 0, '2024-01-05T10:00:00Z'],
    ['bob.lee@example.com', 1, 0, '2024-01-06T10:00:00Z'],
    ['carol.diaz@example.net', 0, 0, '2024-02-01T10:00:00Z'],
    ["dave.o'brien@example.org", 1, 0, '2024-03-01T10:00:00Z'],
  ],
  support_tickets: [
    [700, 1, 'ann.lee@example.com', 'Where is my order?', 'Order 100 is late', '2024-06-05T10:00:00Z'],
    [701, null, ' ANN.LEE@example.com', 'Newsletter', 'Please change my newsletter settings', '2024-06-06T10:00:00Z'],
    [702, 2, 'bob.lee@example.com', 'Refund', 'Please refund order 102', '2024-06-25T10:00:00Z'],
    [703, null, 'someone.else@example.com', 'Hello', 'Unrelated question', '2024-07-01T10:00:00Z'],
  ],
  invoices: [
    [900, 100, 'Ann Lee', 4250, '2024-06-01T10:00:00Z'],
    [901, 101, 'Ann Lee', 1999, '2024-06-15T10:00:00Z'],
    [902, 102, 'Bob Lee', 500, '2024-06-20T10:00:00Z'],
    [903, 104, "Dave O'Brien", 9900, '2024-07-02T10:00:00Z'],
  ],
};

/** Write the demo shop into `dir` (replacing an earlier one): its SQLite file and its data map. */
export async function createDemoShop(dir: string): Promise<{ sqliteFile: string; datamapFile: string }> {
  mkdirSync(dir, { recursive: true });
  const sqliteFile = join(dir, 'demo-shop.sqlite');
  const datamapFile = join(dir, 'demo-shop.datamap.yml');
  for (const f of [sqliteFile, `${sqliteFile}-wal`, `${sqliteFile}-shm`]) rmSync(f, { force: true });
  const db = new Database(sqliteFile);
  try {
    db.exec(SCHEMA);
    db.transaction(() => {
      for (const [table, rows] of Object.entries(DEMO_SHOP_DATA)) {
        const stmt = db.prepare(`INSERT INTO ${table} VALUES (${rows[0]!.map(() => '?').join(', ')})`);
        for (const r of rows) stmt.run(...r);
      }
    })();
  } finally {
    db.close();
  }
  writeFileSync(datamapFile, DEMO_SHOP_DATAMAP_YAML);
  return { sqliteFile, datamapFile };
}
