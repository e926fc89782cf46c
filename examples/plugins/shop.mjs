// Activities for the shop examples: inventory, payments, shipping, notifications and approvals.
// A plain object with no imports, as a plugin may be. It keeps no state: every result is derived
// from the input alone, so a run gives the same answer on any worker process, on a retry, and on
// its thousandth repetition (stock kept in memory per process ran out after enough runs, and
// differed from one worker to the next).

/** An error whose name is the failure type flows catch on; non-retryable when asked. */
function failure(name, message, nonRetryable = true, details) {
  const err = new Error(message);
  err.name = name;
  err.nonRetryable = nonRetryable;
  if (details !== undefined) err.details = details;
  return err;
}

/** What the warehouse holds of each item, the most one order can reserve: a fixed catalogue. */
const stock = new Map([
  ['apple', 100],
  ['pear', 40],
  ['plum', 0],
]);
const DECLINED_CARD = '4000-0000-0000-0002';

const item = {
  type: 'object',
  required: ['sku', 'qty'],
  properties: { sku: { type: 'string' }, qty: { type: 'integer', minimum: 1 } },
};

export default {
  name: 'shop',
  description:
    'Stateless inventory, payments, shipping, notifications and approvals for the examples.',
  activities: [
    {
      name: 'inventory.reserve',
      description:
        'Reserve stock for an order; fails with OutOfStock when an item is short. Idempotent: the reservation is named by the order.',
      input: {
        type: 'object',
        required: ['orderId', 'items'],
        properties: { orderId: { type: 'string' }, items: { type: 'array', items: item } },
      },
      defaults: { timeouts: { startToClose: '5s' }, retry: { maximumAttempts: 3 } },
      run(input) {
        for (const { sku, qty } of input.items) {
          const have = stock.get(sku) ?? 0;
          if (have < qty) {
            throw failure('OutOfStock', `only ${have} of ${sku} left, ${qty} wanted`, true, {
              sku,
              have,
              qty,
            });
          }
        }
        return { reservationId: `res-${input.orderId}`, items: input.items.length };
      },
    },
    {
      name: 'inventory.release',
      description: 'Give reserved stock back (the compensation of inventory.reserve).',
      input: {
        type: 'object',
        required: ['reservationId'],
        properties: { reservationId: { type: 'string' } },
      },
      run({ reservationId }) {
        return { reservationId, released: true };
      },
    },
    {
      name: 'payment.charge',
      description: `Charge a card; the card ${DECLINED_CARD} is declined (PaymentDeclined).`,
      input: {
        type: 'object',
        required: ['orderId', 'amount'],
        properties: {
          orderId: { type: 'string' },
          amount: { type: 'number', exclusiveMinimum: 0 },
          card: { type: 'string' },
        },
      },
      run({ orderId, amount, card }) {
        if (card === DECLINED_CARD)
          throw failure('PaymentDeclined', `card ending ${card.slice(-4)} was declined`);
        return { chargeId: `ch-${orderId}`, amount };
      },
    },
    {
      name: 'payment.refund',
      description: 'Refund a charge (the compensation of payment.charge).',
      input: {
        type: 'object',
        required: ['chargeId'],
        properties: { chargeId: { type: 'string' } },
      },
      run({ chargeId }) {
        return { chargeId, refunded: true };
      },
    },
    {
      name: 'shipping.ship',
      description: 'Book a shipment; an address in country XX fails with AddressInvalid.',
      input: {
        type: 'object',
        required: ['orderId'],
        properties: { orderId: { type: 'string' }, address: { type: 'object' } },
      },
      run({ orderId, address }) {
        if (address?.country === 'XX')
          throw failure('AddressInvalid', 'we do not ship to country XX');
        return { trackingId: `trk-${orderId}`, carrier: 'weft-post' };
      },
    },
    {
      name: 'notify.email',
      description: 'Send an email (recorded, not delivered).',
      input: {
        type: 'object',
        required: ['to', 'subject'],
        properties: {
          to: { type: 'string' },
          subject: { type: 'string' },
          body: { type: 'string' },
        },
      },
      run({ to, subject }) {
        return { sent: true, to, subject };
      },
    },
    {
      name: 'notify.sms',
      description: 'Send a text message (recorded, not delivered).',
      input: {
        type: 'object',
        required: ['to', 'text'],
        properties: { to: { type: 'string' }, text: { type: 'string', maxLength: 160 } },
      },
      run({ to }) {
        return { sent: true, to };
      },
    },
    {
      name: 'approval.request',
      description: 'Ask an approver for a decision (recorded; the answer arrives as a signal).',
      input: {
        type: 'object',
        required: ['requestId', 'approver'],
        properties: {
          requestId: { type: 'string' },
          approver: { type: 'string' },
          amount: { type: 'number' },
        },
      },
      run({ requestId, approver }) {
        return { requestId, approver, requested: true };
      },
    },
    {
      name: 'approval.record',
      description: 'Record the final decision of an approval request.',
      input: {
        type: 'object',
        required: ['requestId', 'decision'],
        properties: { requestId: { type: 'string' }, decision: { type: 'string' } },
      },
      run({ requestId, decision }) {
        return { requestId, decision, recorded: true };
      },
    },
  ],
};
