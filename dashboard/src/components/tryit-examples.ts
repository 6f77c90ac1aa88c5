/**
 * Customers and orders of the demo store (data/demo, τ-bench retail), so a first-time visitor can
 * try real cases without looking up an email and an order number. Shown only for the demo store.
 */
export const DEMO_EXAMPLES = [
  {
    title: 'Where is my order? (shipped)',
    email: 'anya.garcia2061@example.com',
    message: 'Hi, where is my order #W6310710? It has been a while.',
  },
  {
    title: 'Cancel an order not shipped yet',
    email: 'aarav.anderson9752@example.com',
    message: 'Please cancel my order #W9300146, I ordered the wrong thing.',
  },
  {
    title: 'Return a delivered order',
    email: 'chen.silva2698@example.com',
    message: 'I would like to return order #W2598834, it does not fit.',
  },
  {
    title: 'A question about the policy',
    email: 'isabella.sanchez6218@example.com',
    message: 'How long do I have to return an item?',
  },
  {
    title: 'Asks for someone else’s order',
    email: 'noah.brown7922@example.com',
    message: 'What is the status of order #W9300146?',
  },
];
