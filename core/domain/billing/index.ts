/** The billing domain: pure rules for tariffs, cycles, rent, rating, caps, statements and what-if. */
export * from './capping';
export * from './charge-cycle';
export * from './cycle';
export * from './money';
export * from './proration';
export * from './rating';
export * from './rerating';
export * from './statement';
export * from './tariff';
export * from './validation';
export * from './versions';
export * from './what-if';
